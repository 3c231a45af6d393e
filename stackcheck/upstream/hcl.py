"""Just enough of Terraform's expression syntax to read the object cdktf writes into `yamlencode(...)`:
objects, tuples, strings, numbers, booleans, null; references and function calls become a stand-in string."""

import json
import re

TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.|\$\{[^}]*\})*")|(?P<number>-?\d+(?:\.\d+)?)|'
    r"(?P<punct>[{}\[\],=:()])|(?P<word>[A-Za-z_][\w\-]*(?:\.[\w\-*]+|\[[^\]]*\])*))"
)


class HclError(ValueError):
    pass


def tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = TOKEN.match(text, position)
        if not match:
            raise HclError(f"cannot read the expression at {text[position : position + 40]!r}")
        kind = match.lastgroup
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


def parse_expression(text: str, *, stand_in: str):
    items = tokens(text)
    value, end = _value(items, 0, stand_in)
    if end != len(items):
        raise HclError(f"unexpected {items[end][1]!r} after the expression")
    return value


def _value(items, index, stand_in):
    kind, text = items[index]
    if text == "{":
        result, index = {}, index + 1
        while items[index][1] != "}":
            key, index = _value(items, index, stand_in)
            if items[index][1] not in ("=", ":"):
                raise HclError(f"expected = after the key {key!r}")
            result[str(key)], index = _value(items, index + 1, stand_in)
            if items[index][1] == ",":
                index += 1
        return result, index + 1
    if text == "[":
        result, index = [], index + 1
        while items[index][1] != "]":
            item, index = _value(items, index, stand_in)
            result.append(item)
            if items[index][1] == ",":
                index += 1
        return result, index + 1
    if kind == "string":
        if re.search(r"(?<!\$)\$\{", text):  # an interpolation: known only when Terraform runs
            return stand_in, index + 1
        return json.loads(text).replace("$${", "${").replace("%%{", "%{"), index + 1
    if kind == "number":
        return (float(text) if "." in text else int(text)), index + 1
    if kind == "word":
        if text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text], index + 1
        if index + 1 < len(items) and items[index + 1][1] == "(":  # a function call: skip its arguments
            depth, index = 0, index + 1
            while True:
                depth += {"(": 1, ")": -1}.get(items[index][1], 0)
                index += 1
                if depth == 0:
                    return stand_in, index
        return stand_in, index + 1
    raise HclError(f"unexpected {text!r}")
