package main

import (
	"strings"
	"testing"
)

func envOf(values map[string]string) func(string) string {
	return func(key string) string { return values[key] }
}

var keys = map[string]string{"LIVEKIT_API_KEY": "voiceplat", "LIVEKIT_API_SECRET": "s3cret"}

func TestParseSpreadsTheURLsAndReadsTheKeys(t *testing.T) {
	opts, err := parse([]string{"-urls=ws://10.0.0.1:7880, ws://10.0.0.2:7880", "-room=call-1", "-n=4"}, envOf(keys))
	if err != nil || len(opts.urls) != 2 || opts.room != "call-1" || opts.n != 4 || opts.key != "voiceplat" {
		t.Fatalf("parse = %+v, %v", opts, err)
	}
}

func TestParseRefusesBadInputNamingIt(t *testing.T) {
	for args, word := range map[string]string{
		"-room=r":                         "-urls",
		"-urls=http://x:7880 -room=r":     "ws://",
		"-urls=ws://x:7880":               "-room",
		"-urls=ws://x:7880 -room=r -n=1":  "-n=1",
		"-urls=ws://x:7880 -room=r -n=17": "-n=17",
	} {
		_, err := parse(strings.Fields(args), envOf(keys))
		if err == nil || !strings.Contains(err.Error(), word) {
			t.Errorf("%s: error %v does not name %s", args, err, word)
		}
	}
	if _, err := parse([]string{"-urls=ws://x:7880", "-room=r"}, envOf(nil)); err == nil ||
		!strings.Contains(err.Error(), "LIVEKIT_API_SECRET") {
		t.Errorf("missing keys gave %v", err)
	}
}

func TestATokenGrantsJoiningThatRoomOnly(t *testing.T) {
	opts, _ := parse([]string{"-urls=ws://x:7880", "-room=call-1"}, envOf(keys))
	jwt, err := token(opts, "synthetic-0")
	if err != nil || strings.Count(jwt, ".") != 2 {
		t.Fatalf("token = %q, %v", jwt, err)
	}
}
