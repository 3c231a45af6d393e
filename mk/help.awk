# `make help`: every target whose `## ` comment names its section (`target: prerequisites ##@tests what it does`),
# section by section in the order `sections` gives (the Makefile's HELP_SECTIONS); in a section, the Makefile's own
# targets in their order, then the mk/*.mk ones by name. A `## ` comment without a section is listed last, so a
# target is never hidden by mistake. Plain POSIX awk (Debian's mawk has no sort function).
BEGIN {
    title["start"] = "Start here"
    title["local"] = "Local environment"
    title["tests"] = "Tests"
    title["cloud"] = "Cloud checks"
    title["bench"] = "Benchmarks"
    title["plumbing"] = "Plumbing: set-up and upkeep (the targets above run the set-up steps themselves)"
    title["none"] = "Without a section (write ##@<section> in their comment: " \
                    "start, local, tests, cloud, bench or plumbing)"
}

/^[a-z0-9-]+:.*##@?[a-z]* / {
    target = $0; sub(/:.*/, "", target)
    text = $0; sub(/^[^#]*##/, "", text)
    section = "none"
    if (text ~ /^@/) { section = substr(text, 2); sub(/ .*/, "", section); sub(/^@[a-z]+/, "", text) }
    sub(/^ +/, "", text)
    if (!(section in title)) {
        printf "%s: %s: no help section '%s' (start, local, tests, cloud, bench, plumbing)\n",
               FILENAME, target, section > "/dev/stderr"
        failed = 1
    }
    key = (FILENAME == "Makefile" ? sprintf("0%04d", NR) : "1" target)
    n = ++size[section]
    while (n > 1 && keys[section, n - 1] > key) {  # insertion sort: a few dozen targets
        keys[section, n] = keys[section, n - 1]; lines[section, n] = lines[section, n - 1]; n--
    }
    keys[section, n] = key
    lines[section, n] = sprintf("  make %-22s %s", target, text)
}

END {
    count = split(sections " none", order, " ")
    for (i = 1; i <= count; i++) {
        if (!size[order[i]]) continue
        printf "%s%s:\n", (printed++ ? "\n" : ""), title[order[i]]
        for (n = 1; n <= size[order[i]]; n++) print lines[order[i], n]
    }
    exit failed
}
