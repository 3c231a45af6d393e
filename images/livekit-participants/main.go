// Command livekit-participants joins N synthetic participants to one LiveKit room, each publishing an Opus audio
// track and subscribing to every other participant's, and reports what each saw.
//
// It is the in-cluster client of the e2e suite's LiveKit claims (LiveKit's own `lk` CLI needs CGO and Git LFS
// media, neither to be had here): pure Go (server-sdk-go/v2 over pion), CGO off. Participant i signals to
// URLS[i % len(URLS)], so with one URL per LiveKit replica the participants are spread over the replicas and can
// only see each other if the replicas share the room (through Redis).
//
// Output, on stdout: one line `READY {json}` once every participant has subscribed to every other participant's
// track and received audio on it (or `FAILED {json}` at the deadline); then the participants stay in the room for
// -hold (so the room's gauges can be read) and leave. Exit 0 on READY, 1 on FAILED, 2 on bad input.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// maxParticipants bounds N: every participant subscribes to every other, so the media grows as N².
const maxParticipants = 16

type options struct {
	urls    []string
	room    string
	n       int
	key     string
	secret  string
	timeout time.Duration
	hold    time.Duration
	packets int
}

func parse(args []string, getenv func(string) string) (options, error) {
	fs := flag.NewFlagSet("livekit-participants", flag.ContinueOnError)
	urls := fs.String("urls", getenv("LIVEKIT_URLS"), "comma-separated ws:// URLs of the LiveKit replicas (LIVEKIT_URLS)")
	opts := options{key: getenv("LIVEKIT_API_KEY"), secret: getenv("LIVEKIT_API_SECRET")}
	fs.StringVar(&opts.room, "room", getenv("LIVEKIT_ROOM"), "room to join (LIVEKIT_ROOM)")
	fs.IntVar(&opts.n, "n", 3, fmt.Sprintf("participants, 2..%d", maxParticipants))
	fs.DurationVar(&opts.timeout, "timeout", 60*time.Second, "how long every participant may take to see every other")
	fs.DurationVar(&opts.hold, "hold", 30*time.Second, "how long the participants stay in the room after READY")
	fs.IntVar(&opts.packets, "packets", 25, "RTP packets each subscriber must receive on each track (20 ms each)")
	if err := fs.Parse(args); err != nil {
		return opts, err
	}
	for _, u := range strings.Split(*urls, ",") {
		if u = strings.TrimSpace(u); u != "" {
			if !strings.HasPrefix(u, "ws://") && !strings.HasPrefix(u, "wss://") {
				return opts, fmt.Errorf("-urls: %q is not a ws:// or wss:// URL", u)
			}
			opts.urls = append(opts.urls, u)
		}
	}
	switch {
	case len(opts.urls) == 0:
		return opts, errors.New("-urls (LIVEKIT_URLS) is empty: name at least one LiveKit URL, e.g. ws://livekit.livekit.svc:7880")
	case opts.room == "":
		return opts, errors.New("-room (LIVEKIT_ROOM) is empty: name the room to join")
	case opts.n < 2 || opts.n > maxParticipants:
		return opts, fmt.Errorf("-n=%d: participants must be 2..%d (each subscribes to every other)", opts.n, maxParticipants)
	case opts.key == "" || opts.secret == "":
		return opts, errors.New("LIVEKIT_API_KEY or LIVEKIT_API_SECRET is empty: give the Job the Secret of LiveKit's key pair")
	case opts.packets < 1:
		return opts, fmt.Errorf("-packets=%d: must be at least 1", opts.packets)
	}
	return opts, nil
}

func main() {
	opts, err := parse(os.Args[1:], os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "livekit-participants:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	report, ok, leave := runCall(ctx, opts)
	line, _ := json.Marshal(report)
	if !ok {
		leave()
		fmt.Printf("FAILED %s\n", line)
		os.Exit(1)
	}
	fmt.Printf("READY %s\n", line)
	select {
	case <-ctx.Done():
	case <-time.After(opts.hold):
	}
	log.Printf("leaving the room after holding it for up to %s", opts.hold)
	leave()
}
