package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sift/rules"
)

// receiver is a webhook receiver that verifies signatures and records
// what it got.
type receiver struct {
	t      *testing.T
	secret string
	fail   atomic.Int32 // answer 503 to this many requests first
	delay  time.Duration

	mu     sync.Mutex
	events []WebhookEvent
	times  []time.Time
	bad    []string
	got    chan struct{}
}

func newReceiver(t *testing.T, secret string) (*receiver, *httptest.Server) {
	rc := &receiver{t: t, secret: secret, got: make(chan struct{}, 100)}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.times = append(rc.times, time.Now())
	rc.mu.Unlock()
	if rc.fail.Add(-1) >= 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	time.Sleep(rc.delay)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err := VerifySignature(rc.secret, r.Header.Get(SignatureHeader), body, time.Now(), 5*time.Minute); err != nil {
		rc.bad = append(rc.bad, err.Error())
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var ev WebhookEvent
	var res rules.Result
	ev.Result = &res
	if err := json.Unmarshal(body, &ev); err != nil {
		rc.bad = append(rc.bad, err.Error())
	}
	if ev.Delivery != r.Header.Get("Sift-Delivery") {
		rc.bad = append(rc.bad, "delivery header "+r.Header.Get("Sift-Delivery")+" differs from the body's "+ev.Delivery)
	}
	rc.events = append(rc.events, ev)
	rc.got <- struct{}{}
}

func (rc *receiver) wait(n int) []WebhookEvent {
	rc.t.Helper()
	for range n {
		select {
		case <-rc.got:
		case <-time.After(10 * time.Second):
			rc.t.Fatalf("webhook: timed out waiting for a delivery")
		}
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.bad) > 0 {
		rc.t.Errorf("receiver rejected deliveries: %v", rc.bad)
	}
	return append([]WebhookEvent(nil), rc.events...)
}

func TestWebhookSigned(t *testing.T) {
	rc, srv := newReceiver(t, "hook-secret")
	s, _ := newTestServer(t, csoWithWebhook(t, srv.URL+"/hook"))
	h := s.Handler()
	w := do(h, "POST", "/v1/candidates?external_id=ats-1", writeKey, bytes.NewReader(resume(t, "cso_strong.pdf")))
	if w.Code != 201 {
		t.Fatalf("POST: got %d; want 201", w.Code)
	}
	var c candidate
	decode(t, w, &c)
	evs := rc.wait(1)
	ev := evs[0]
	res := ev.Result.(*rules.Result)
	if ev.Event != "result" || ev.Candidate != c.ID || ev.ExternalID != "ats-1" || res.Profile.ID != "cso" || res.Score != c.Results[0].Score {
		t.Errorf("event: got %+v, result %+v; want the candidate's cso result", ev, res)
	}
	// Posting the same again changes nothing and sends nothing; new content
	// sends a new result.
	do(h, "POST", "/v1/candidates?external_id=ats-1", writeKey, bytes.NewReader(resume(t, "cso_strong.pdf")))
	do(h, "POST", "/v1/candidates?external_id=ats-1", writeKey, bytes.NewReader(resume(t, "cso_near_miss.pdf")))
	if evs := rc.wait(1); len(evs) != 2 {
		t.Errorf("deliveries: got %d; want 2", len(evs))
	}
	s.Close()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.events) != 2 {
		t.Errorf("deliveries after Close: got %d; want 2", len(rc.events))
	}
}

func TestVerifySignature(t *testing.T) {
	now := time.Unix(1_750_000_000, 0)
	body := []byte(`{"event":"result"}`)
	h := Sign("s3cret", now, body)
	if !strings.HasPrefix(h, "t=1750000000,v1=") {
		t.Errorf("Sign: got %q; want t=1750000000,v1=...", h)
	}
	for _, tt := range []struct {
		name, secret, header string
		body                 []byte
		now                  time.Time
		ok                   bool
	}{
		{"good", "s3cret", h, body, now, true},
		{"later, within tolerance", "s3cret", h, body, now.Add(4 * time.Minute), true},
		{"too old", "s3cret", h, body, now.Add(6 * time.Minute), false},
		{"other secret", "other", h, body, now, false},
		{"other body", "s3cret", h, []byte(`{"event":"resulT"}`), now, false},
		{"garbled", "s3cret", "v1=abc", body, now, false},
		{"other time", "s3cret", strings.Replace(h, "t=1750000000", "t=1750000001", 1), body, now, false},
	} {
		err := VerifySignature(tt.secret, tt.header, tt.body, tt.now, 5*time.Minute)
		if (err == nil) != tt.ok {
			t.Errorf("%s: got %v; want ok %v", tt.name, err, tt.ok)
		}
	}
}

func TestWebhookRetries(t *testing.T) {
	rc, srv := newReceiver(t, "hook-secret")
	rc.fail.Store(2)
	s, _ := newTestServer(t, csoWithWebhook(t, srv.URL))
	s.Webhooks.Backoff, s.Webhooks.MaxBackoff = 20*time.Millisecond, time.Second
	h := s.Handler()
	do(h, "POST", "/v1/candidates", writeKey, bytes.NewReader(resume(t, "cso_strong.pdf")))
	rc.wait(1)
	rc.mu.Lock()
	times := append([]time.Time(nil), rc.times...)
	rc.mu.Unlock()
	if len(times) != 3 {
		t.Fatalf("attempts: got %d; want 3", len(times))
	}
	// Waits of [10, 20] ms, then [20, 40] ms: backoff with jitter.
	if d := times[1].Sub(times[0]); d < 10*time.Millisecond {
		t.Errorf("first wait: got %s; want at least 10ms", d)
	}
	if d := times[2].Sub(times[1]); d < 20*time.Millisecond {
		t.Errorf("second wait: got %s; want at least 20ms", d)
	}
	s.Close() // the sender counts the delivery after the receiver answers
	m := metricsText(t, h)
	for _, want := range []string{`sift_webhook_deliveries_total{outcome="retried"} 2`, `sift_webhook_deliveries_total{outcome="delivered"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics: want %s", want)
		}
	}
}

func TestWebhookGivesUp(t *testing.T) {
	rc, srv := newReceiver(t, "hook-secret")
	rc.fail.Store(100)
	s, _ := newTestServer(t, csoWithWebhook(t, srv.URL))
	s.Webhooks.MaxAttempts = 3
	h := s.Handler()
	do(h, "POST", "/v1/candidates", writeKey, bytes.NewReader(resume(t, "cso_strong.pdf")))
	s.Close()
	rc.mu.Lock()
	n := len(rc.times)
	rc.mu.Unlock()
	if n != 3 {
		t.Errorf("attempts: got %d; want 3", n)
	}
	if m := metricsText(t, h); !strings.Contains(m, `sift_webhook_deliveries_total{outcome="failed"} 1`) {
		t.Errorf("metrics: want one failed delivery")
	}
}

func TestWebhookSlowReceiver(t *testing.T) {
	rc, srv := newReceiver(t, "hook-secret")
	rc.delay = time.Second
	s, _ := newTestServer(t, csoWithWebhook(t, srv.URL))
	s.Webhooks.Workers, s.Webhooks.Queue = 1, 1
	logs := &syncBuffer{}
	s.Logger = newTestLogger(logs)
	h := s.Handler()
	// The first delivery occupies the sender, the second fills the queue,
	// and the third is dropped; no POST waits for any of them.
	for i, name := range []string{"cso_strong.pdf", "cso_near_miss.pdf", "security_manager.pdf"} {
		start := time.Now()
		w := do(h, "POST", "/v1/candidates", writeKey, bytes.NewReader(resume(t, name)))
		if w.Code != 201 {
			t.Fatalf("POST %d: got %d; want 201", i, w.Code)
		}
		if d := time.Since(start); d > 700*time.Millisecond {
			t.Errorf("POST %d took %s; want it not to wait for the receiver", i, d)
		}
		if i == 0 {
			waitFor(t, func() bool { rc.mu.Lock(); defer rc.mu.Unlock(); return len(rc.times) == 1 })
		}
	}
	if m := metricsText(t, h); !strings.Contains(m, `sift_webhook_deliveries_total{outcome="dropped"} 1`) {
		t.Errorf("metrics: want one dropped delivery")
	}
	if !strings.Contains(logs.String(), "queue full") {
		t.Errorf("log: got %q; want a line about the full queue", logs.String())
	}
}

// TestWebhookDrainBound checks that Close gives up on a receiver that does
// not answer within DrainTimeout.
func TestWebhookDrainBound(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	s, _ := newTestServer(t, csoWithWebhook(t, srv.URL))
	s.Webhooks.DrainTimeout = 100 * time.Millisecond
	s.Logger = slog.New(slog.DiscardHandler)
	h := s.Handler()
	do(h, "POST", "/v1/candidates", writeKey, bytes.NewReader(resume(t, "cso_strong.pdf")))
	start := time.Now()
	s.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %s; want about DrainTimeout", d)
	}
}

func TestBackoff(t *testing.T) {
	d := &dispatcher{opts: WebhookOptions{Backoff: 100 * time.Millisecond, MaxBackoff: time.Second}}
	for attempt, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 5: time.Second, 30: time.Second} {
		for range 20 {
			got := d.backoff(attempt)
			if got < want/2 || got > want {
				t.Errorf("backoff(%d): got %s; want within [%s, %s]", attempt, got, want/2, want)
			}
		}
	}
}
