package main

// LiveKit's server API as the voice service uses it: one room per call, made through LiveKit's RoomService (Twirp,
// JSON over HTTP), authenticated by an access token signed with the API key pair the stack generates
// (LIVEKIT_API_KEY / LIVEKIT_API_SECRET, from the Secret stacks/delivery/livekit_keys.py creates). The standard
// library only: an HS256 JWT is a few lines, and the stand-in stays a small static binary.

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// liveKit is the voice service's client of LiveKit's server API; nil when LIVEKIT_URL is unset (other services).
type liveKit struct {
	api    string // http(s) base URL of the server API (LIVEKIT_URL's ws(s) turned into http(s))
	key    string
	secret string
	client *http.Client
}

// tokenLifetime bounds each server-API token: one request's worth.
const tokenLifetime = 5 * time.Minute

var roomName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func liveKitFromEnv(getenv func(string) string) (*liveKit, error) {
	raw := getenv("LIVEKIT_URL")
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("LIVEKIT_URL=%q is not a URL: write it like ws://livekit.livekit.svc:7880", raw)
	}
	switch u.Scheme {
	case "ws", "http":
		u.Scheme = "http"
	case "wss", "https":
		u.Scheme = "https"
	default:
		return nil, fmt.Errorf("LIVEKIT_URL=%q: the scheme must be ws, wss, http or https", raw)
	}
	key, secret := getenv("LIVEKIT_API_KEY"), getenv("LIVEKIT_API_SECRET")
	if key == "" || secret == "" {
		return nil, fmt.Errorf("LIVEKIT_URL is set but LIVEKIT_API_KEY or LIVEKIT_API_SECRET is empty: " +
			"give the service the Secret the stack makes from LiveKit's key pair (secretKeyRefs)")
	}
	return &liveKit{api: strings.TrimSuffix(u.String(), "/"), key: key, secret: secret,
		client: &http.Client{Timeout: 10 * time.Second}}, nil
}

// token is a LiveKit access token: an HS256 JWT whose issuer is the API key, carrying a `video` grant.
func (lk *liveKit) token(grant map[string]any, now time.Time) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	claims, _ := json.Marshal(map[string]any{
		"iss": lk.key, "sub": "voice", "nbf": now.Add(-10 * time.Second).Unix(),
		"exp": now.Add(tokenLifetime).Unix(), "video": grant,
	})
	signing := header + "." + enc.EncodeToString(claims)
	mac := hmac.New(sha256.New, []byte(lk.secret))
	mac.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(mac.Sum(nil))
}

// twirp calls one RoomService method and decodes its JSON answer into out.
func (lk *liveKit) twirp(method string, grant map[string]any, in, out any) error {
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, lk.api+"/twirp/livekit.RoomService/"+method, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+lk.token(grant, time.Now()))
	resp, err := lk.client.Do(req)
	if err != nil {
		return fmt.Errorf("LiveKit %s: %w", method, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("LiveKit %s answered %d: %s", method, resp.StatusCode, strings.TrimSpace(string(answer)))
	}
	return json.Unmarshal(answer, out)
}

// handleCreateRoom makes the room of one call: POST /livekit/rooms[?name=N] (a generated `call-<hex>` name when
// none is given). 201 with LiveKit's Room; 502 with LiveKit's error when it refused or could not be reached.
func (s *server) handleCreateRoom(w http.ResponseWriter, r *http.Request) {
	lk := s.opts.liveKit
	if lk == nil {
		http.Error(w, "LiveKit is not configured: set LIVEKIT_URL and the API key pair", http.StatusNotFound)
		return
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = randomID("call-", 6)
	}
	if !roomName.MatchString(name) {
		http.Error(w, "name="+name+" is not a room name: use 1-64 letters, digits, - and _", http.StatusBadRequest)
		return
	}
	var room map[string]any
	// The room outlives a participant-less minute only: calls are short, and a forgotten room should not linger.
	in := map[string]any{"name": name, "empty_timeout": 60, "departure_timeout": 20}
	if err := lk.twirp("CreateRoom", map[string]any{"roomCreate": true}, in, &room); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, http.StatusCreated, room)
}

// handleParticipants lists a room's participants as LiveKit's API sees them: GET /livekit/participants?room=N.
func (s *server) handleParticipants(w http.ResponseWriter, r *http.Request) {
	lk := s.opts.liveKit
	if lk == nil {
		http.Error(w, "LiveKit is not configured: set LIVEKIT_URL and the API key pair", http.StatusNotFound)
		return
	}
	name := r.URL.Query().Get("room")
	if !roomName.MatchString(name) {
		http.Error(w, "room="+name+" is not a room name: use 1-64 letters, digits, - and _", http.StatusBadRequest)
		return
	}
	var listed map[string]any
	grant := map[string]any{"roomAdmin": true, "room": name}
	if err := lk.twirp("ListParticipants", grant, map[string]any{"room": name}, &listed); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, http.StatusOK, listed)
}
