package main

import (
	"context"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"github.com/livekit/protocol/auth"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"
)

// frame is one 20 ms Opus packet: TOC 0xF8 (CELT-only, full band, 20 ms, mono, one frame) followed by the
// two-byte frame that decodes to silence, the packet browsers send when muted. No Opus encoder is to be had
// without CGO, and LiveKit forwards Opus without decoding it, so a valid, generated packet is what the test needs.
var frame = []byte{0xF8, 0xFF, 0xFE}

const frameDuration = 20 * time.Millisecond

// participantReport is what one participant saw.
type participantReport struct {
	Identity   string         `json:"identity"`
	URL        string         `json:"url"`
	JoinMS     float64        `json:"join_ms"`
	Subscribed int            `json:"subscribed"` // tracks of other participants subscribed to
	Packets    map[string]int `json:"packets"`    // RTP packets received, by publisher
	Error      string         `json:"error,omitempty"`
}

type callReport struct {
	Room         string              `json:"room"`
	Participants []participantReport `json:"participants"`
}

// participant is one synthetic caller: its connection, its published track, what it received.
type participant struct {
	identity string
	url      string
	room     *lksdk.Room
	joined   time.Duration
	err      error
	mu       sync.Mutex
	packets  map[string]*atomic.Int64
}

func token(opts options, identity string) (string, error) {
	grant := &auth.VideoGrant{RoomJoin: true, Room: opts.room}
	grant.SetCanPublish(true)
	grant.SetCanSubscribe(true)
	return auth.NewAccessToken(opts.key, opts.secret).SetIdentity(identity).SetVideoGrant(grant).
		SetValidFor(opts.timeout + opts.hold + time.Minute).ToJWT()
}

// join connects the participant, publishes its audio track and starts counting what it receives.
func (p *participant) join(ctx context.Context, opts options) error {
	jwt, err := token(opts, p.identity)
	if err != nil {
		return err
	}
	callback := &lksdk.RoomCallback{ParticipantCallback: lksdk.ParticipantCallback{
		OnTrackSubscribed: func(track *webrtc.TrackRemote, _ *lksdk.RemoteTrackPublication, rp *lksdk.RemoteParticipant) {
			counter := p.counter(rp.Identity())
			go func() {
				for {
					if _, _, err := track.ReadRTP(); err != nil {
						return
					}
					counter.Add(1)
				}
			}()
		},
	}}
	started := time.Now()
	room, err := lksdk.ConnectToRoomWithToken(p.url, jwt, callback, lksdk.WithAutoSubscribe(true))
	if err != nil {
		return fmt.Errorf("join %s: %w", p.url, err)
	}
	p.joined, p.room = time.Since(started), room
	track, err := lksdk.NewLocalSampleTrack(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2})
	if err != nil {
		return err
	}
	if _, err := room.LocalParticipant.PublishTrack(track, &lksdk.TrackPublicationOptions{Name: p.identity + "-audio"}); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	go func() {
		ticker := time.NewTicker(frameDuration)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				_ = track.WriteSample(media.Sample{Data: frame, Duration: frameDuration}, nil)
			}
		}
	}()
	return nil
}

func (p *participant) counter(publisher string) *atomic.Int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.packets[publisher] == nil {
		p.packets[publisher] = &atomic.Int64{}
	}
	return p.packets[publisher]
}

// complete: subscribed to every other participant's track and received `packets` packets on each.
func (p *participant) complete(all []*participant, packets int) bool {
	if p.err != nil || p.room == nil {
		return false
	}
	for _, other := range all {
		if other != p && p.counter(other.identity).Load() < int64(packets) {
			return false
		}
	}
	return true
}

func (p *participant) report() participantReport {
	r := participantReport{Identity: p.identity, URL: p.url, JoinMS: float64(p.joined.Microseconds()) / 1000,
		Packets: map[string]int{}}
	if p.err != nil {
		r.Error = p.err.Error()
	}
	if p.room != nil {
		for _, rp := range p.room.GetRemoteParticipants() {
			r.Subscribed += len(rp.TrackPublications())
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for publisher, n := range p.packets {
		r.Packets[publisher] = int(n.Load())
	}
	return r
}

// runCall joins every participant (at once, as callers of one call would), then waits until each has heard every
// other or the timeout passes. The participants stay connected until leave is called.
func runCall(ctx context.Context, opts options) (report callReport, ok bool, leave func()) {
	all := make([]*participant, opts.n)
	var joins sync.WaitGroup
	for i := range all {
		all[i] = &participant{identity: fmt.Sprintf("synthetic-%d", i), url: opts.urls[i%len(opts.urls)],
			packets: map[string]*atomic.Int64{}}
		joins.Add(1)
		go func(p *participant) {
			defer joins.Done()
			if p.err = p.join(ctx, opts); p.err != nil {
				log.Printf("%s: %v", p.identity, p.err)
			}
		}(all[i])
	}
	joins.Wait()
	deadline := time.After(opts.timeout)
	ticker := time.NewTicker(100 * time.Millisecond)
	defer ticker.Stop()
	for !ok {
		ok = true
		for _, p := range all {
			ok = ok && p.complete(all, opts.packets)
		}
		if ok {
			break
		}
		select {
		case <-deadline:
		case <-ctx.Done():
		case <-ticker.C:
			continue
		}
		break
	}
	report = callReport{Room: opts.room}
	for _, p := range all {
		report.Participants = append(report.Participants, p.report())
	}
	leave = func() {
		for _, p := range all {
			if p.room != nil {
				p.room.Disconnect()
			}
		}
	}
	return report, ok, leave
}
