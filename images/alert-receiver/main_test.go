package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRecordsWhatAlertmanagerPostsAndServesIt(t *testing.T) {
	server := httptest.NewServer(handler(&store{limit: 2}))
	defer server.Close()
	for _, body := range []string{`{"n":1}`, `{"n":2}`, `{"n":3}`} {
		response, err := http.Post(server.URL+"/alerts", "application/json", strings.NewReader(body))
		if err != nil || response.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %v %v", body, err, response)
		}
	}
	response, err := http.Get(server.URL + "/alerts")
	if err != nil {
		t.Fatal(err)
	}
	var got []record
	if err := json.NewDecoder(response.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || string(got[1].Payload) != `{"n":3}` || got[0].Received.IsZero() {
		t.Fatalf("want the last 2 records, newest last, with times; got %+v", got)
	}
}

func TestRefusesABodyThatIsNotJSON(t *testing.T) {
	server := httptest.NewServer(handler(&store{limit: 2}))
	defer server.Close()
	response, err := http.Post(server.URL+"/alerts", "application/json", strings.NewReader("not json"))
	if err != nil || response.StatusCode != http.StatusBadRequest {
		t.Fatalf("want 400, got %v %v", err, response)
	}
}
