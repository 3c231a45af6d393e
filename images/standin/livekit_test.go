package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// verifiedClaims checks an access token's HS256 signature with secret, as LiveKit does, and returns its claims
// (nil when the token is not a JWT signed with secret).
func verifiedClaims(token, secret string) map[string]any {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if got, _ := base64.RawURLEncoding.DecodeString(parts[2]); !hmac.Equal(got, mac.Sum(nil)) {
		return nil
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	if json.Unmarshal(raw, &claims) != nil {
		return nil
	}
	return claims
}

// fakeRoomService answers CreateRoom as LiveKit's RoomService does, after checking the token and its grant.
func fakeRoomService(key, secret string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/twirp/livekit.RoomService/CreateRoom" {
			http.Error(w, `{"code":"bad_route"}`, http.StatusNotFound)
			return
		}
		claims := verifiedClaims(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), secret)
		if grant, _ := claims["video"].(map[string]any); claims["iss"] != key || grant["roomCreate"] != true {
			http.Error(w, `{"code":"permission_denied"}`, http.StatusUnauthorized)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		writeJSON(w, http.StatusOK, map[string]any{"sid": "RM_1", "name": in["name"]})
	}))
}

func TestLiveKitIsOffWithoutItsURL(t *testing.T) {
	if lk, err := liveKitFromEnv(envOf(nil)); lk != nil || err != nil {
		t.Fatalf("liveKitFromEnv(empty) = %v, %v", lk, err)
	}
}

func TestLiveKitNeedsTheKeyPair(t *testing.T) {
	_, err := liveKitFromEnv(envOf(map[string]string{"LIVEKIT_URL": "ws://livekit:7880"}))
	if err == nil || !strings.Contains(err.Error(), "LIVEKIT_API_SECRET") {
		t.Fatalf("a URL without keys gave %v", err)
	}
	_, err = liveKitFromEnv(envOf(map[string]string{"LIVEKIT_URL": "ftp://livekit", "LIVEKIT_API_KEY": "k",
		"LIVEKIT_API_SECRET": "s"}))
	if err == nil || !strings.Contains(err.Error(), "LIVEKIT_URL") {
		t.Fatalf("an ftp URL gave %v", err)
	}
}

func TestTokenCarriesTheKeyAndExpires(t *testing.T) {
	lk := &liveKit{key: "voiceplat", secret: "s3cret"}
	now := time.Unix(1_800_000_000, 0)
	claims := verifiedClaims(lk.token(map[string]any{"roomCreate": true}, now), "s3cret")
	if claims["iss"] != "voiceplat" || claims["exp"].(float64) != float64(now.Add(tokenLifetime).Unix()) {
		t.Fatalf("claims = %v", claims)
	}
}

func TestCreateRoomCallsLiveKitWithASignedToken(t *testing.T) {
	livekit := fakeRoomService("voiceplat", "s3cret")
	defer livekit.Close()
	lk, err := liveKitFromEnv(envOf(map[string]string{"LIVEKIT_URL": strings.Replace(livekit.URL, "http", "ws", 1),
		"LIVEKIT_API_KEY": "voiceplat", "LIVEKIT_API_SECRET": "s3cret"}))
	if err != nil {
		t.Fatal(err)
	}
	_, ts := newTestServer(t, serverOptions{liveKit: lk})
	resp, err := http.Post(ts.URL+"/livekit/rooms?name=call-1", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var room map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&room)
	if resp.StatusCode != http.StatusCreated || room["name"] != "call-1" {
		t.Fatalf("POST /livekit/rooms = %d %v", resp.StatusCode, room)
	}
}

func TestCreateRoomReportsLiveKitsRefusal(t *testing.T) {
	livekit := fakeRoomService("voiceplat", "s3cret")
	defer livekit.Close()
	lk := &liveKit{api: livekit.URL, key: "voiceplat", secret: "wrong", client: http.DefaultClient}
	_, ts := newTestServer(t, serverOptions{liveKit: lk})
	resp, err := http.Post(ts.URL+"/livekit/rooms", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(body), "401") {
		t.Fatalf("a refused token gave %d %s", resp.StatusCode, body)
	}
}
