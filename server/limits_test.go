package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sift/parser"
)

func TestBodyLimit(t *testing.T) {
	s, _ := newTestServer(t)
	s.Limits.MaxBody = 4096
	h := s.Handler()
	big := bytes.Repeat([]byte("Security manager. "), 1000) // 18 000 bytes of text
	t.Run("content length", func(t *testing.T) {
		w := do(h, "POST", "/v1/candidates", writeKey, bytes.NewReader(big))
		wantProblem(t, w, http.StatusRequestEntityTooLarge)
	})
	t.Run("lying content length", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/v1/candidates", bytes.NewReader(big))
		r.ContentLength = 100
		r.Header.Set("Authorization", "Bearer "+writeKey)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		wantProblem(t, w, http.StatusRequestEntityTooLarge)
	})
	t.Run("unknown length", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/v1/score", io.MultiReader(bytes.NewReader(big)))
		r.ContentLength = -1
		r.Header.Set("Authorization", "Bearer "+writeKey)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		wantProblem(t, w, http.StatusRequestEntityTooLarge)
	})
	t.Run("multipart", func(t *testing.T) {
		body, ct := multipartBody(t, "big.txt", big)
		wantProblem(t, do(h, "POST", "/v1/candidates", writeKey, body, "Content-Type", ct), http.StatusRequestEntityTooLarge)
	})
	t.Run("json", func(t *testing.T) {
		body := `{"text": "` + string(big) + `"}`
		wantProblem(t, do(h, "POST", "/v1/candidates", writeKey, strings.NewReader(body), "Content-Type", "application/json"), http.StatusRequestEntityTooLarge)
	})
	t.Run("chunked over the network", func(t *testing.T) {
		var te atomic.Value
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			te.Store(strings.Join(r.TransferEncoding, ","))
			h.ServeHTTP(w, r)
		}))
		defer srv.Close()
		// An io.Reader of unknown length makes the client send chunks.
		req, _ := http.NewRequest("POST", srv.URL+"/v1/candidates", io.MultiReader(bytes.NewReader(big)))
		req.Header.Set("Authorization", "Bearer "+writeKey)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if got := te.Load(); got != "chunked" {
			t.Fatalf("transfer encoding: got %v; want chunked", got)
		}
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status: got %d; want 413", resp.StatusCode)
		}
	})
	t.Run("under the limit", func(t *testing.T) {
		w := do(h, "POST", "/v1/score", writeKey, bytes.NewReader(big[:4000]))
		if w.Code != 200 {
			t.Errorf("status: got %d; want 200 (%s)", w.Code, w.Body)
		}
	})
}

func TestRateLimit(t *testing.T) {
	s, _ := newTestServer(t)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	s.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	s.Limits.RatePerKey, s.Limits.Burst = 0.5, 2
	h := s.Handler()
	for i := range 2 {
		if w := do(h, "GET", "/v1/profiles", readKey, nil); w.Code != 200 {
			t.Fatalf("request %d: got %d; want 200", i, w.Code)
		}
	}
	w := do(h, "GET", "/v1/profiles", readKey, nil)
	wantProblem(t, w, http.StatusTooManyRequests)
	if got := w.Header().Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After: got %q; want 2", got)
	}
	// Another key has its own bucket; the open routes have none.
	if w := do(h, "GET", "/v1/profiles", writeKey, nil); w.Code != 200 {
		t.Errorf("another key: got %d; want 200", w.Code)
	}
	for range 5 {
		if w := do(h, "GET", "/healthz", "", nil); w.Code != 200 {
			t.Errorf("/healthz: got %d; want 200", w.Code)
		}
	}
	advance(2 * time.Second)
	if w := do(h, "GET", "/v1/profiles", readKey, nil); w.Code != 200 {
		t.Errorf("after Retry-After: got %d; want 200", w.Code)
	}
	if w := do(h, "GET", "/v1/profiles", readKey, nil); w.Code != 429 {
		t.Errorf("right after: got %d; want 429", w.Code)
	}
}

// TestParseSlots checks that parses beyond Limits.MaxParses wait, and that
// a waiting request gives up with its context.
func TestParseSlots(t *testing.T) {
	s, _ := newTestServer(t)
	s.Limits.MaxParses = 1
	release := make(chan struct{})
	var running, most atomic.Int32
	s.Parse = func(ctx context.Context, name string, data []byte) (*parser.Resume, error) {
		n := running.Add(1)
		defer running.Add(-1)
		if n > most.Load() {
			most.Store(n)
		}
		<-release
		return inProcess(ctx, name, data)
	}
	h := s.Handler()
	var wg sync.WaitGroup
	codes := make([]int, 3)
	for i := range codes {
		wg.Go(func() {
			codes[i] = do(h, "POST", "/v1/score", writeKey, strings.NewReader("Security Manager\nCISSP")).Code
		})
	}
	// A request whose context ends while it waits answers 503.
	waitFor(t, func() bool { return running.Load() == 1 })
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequestWithContext(ctx, "POST", "/v1/score", strings.NewReader("Security Manager"))
	r.Header.Set("Authorization", "Bearer "+writeKey)
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { h.ServeHTTP(w, r); close(done) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	<-done
	wantProblem(t, w, http.StatusServiceUnavailable)
	close(release)
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Errorf("request %d: got %d; want 200", i, c)
		}
	}
	if most.Load() != 1 {
		t.Errorf("parses at once: got %d; want 1", most.Load())
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestShutdownDrains starts Serve, begins a slow request, cancels Serve's
// context, and checks that the request completes, new connections are
// refused, and Serve returns after it.
func TestShutdownDrains(t *testing.T) {
	s, _ := newTestServer(t)
	s.Limits.ShutdownTimeout = 10 * time.Second
	started, release := make(chan struct{}), make(chan struct{})
	s.Parse = func(ctx context.Context, name string, data []byte) (*parser.Resume, error) {
		close(started)
		<-release
		return inProcess(ctx, name, data)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	type result struct {
		code int
		err  error
	}
	got := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest("POST", base+"/v1/score", strings.NewReader("Security Manager\nCISSP"))
		req.Header.Set("Authorization", "Bearer "+writeKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- result{err: err}
			return
		}
		resp.Body.Close()
		got <- result{code: resp.StatusCode}
	}()
	<-started
	cancel()
	// Serve stops accepting, but waits for the request in flight.
	waitFor(t, func() bool {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), 100*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v before the request finished", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if r := <-got; r.err != nil || r.code != 200 {
		t.Errorf("request in flight: got %d, %v; want 200", r.code, r.err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: got %v; want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
}

// TestShutdownTimeout checks that a request still running at the deadline
// has its context cancelled and Serve returns.
func TestShutdownTimeout(t *testing.T) {
	s, _ := newTestServer(t)
	s.Limits.ShutdownTimeout = 100 * time.Millisecond
	started := make(chan struct{})
	s.Parse = func(ctx context.Context, name string, data []byte) (*parser.Resume, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	go func() {
		req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+"/v1/score", strings.NewReader("x"))
		req.Header.Set("Authorization", "Bearer "+writeKey)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	<-started
	start := time.Now()
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: got %v; want nil", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("Serve took %s to return; want about the shutdown timeout", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
}

func TestServeChecks(t *testing.T) {
	s, _ := newTestServer(t, csoWithWebhook(t, "http://127.0.0.1:1/hook"))
	s.WebhookSecret = ""
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Serve(context.Background(), ln)
	if err == nil || !strings.Contains(err.Error(), "webhook secret") {
		t.Errorf("Serve: got %v; want an error about the webhook secret", err)
	}
	if !errors.Is(ln.Close(), net.ErrClosed) {
		t.Errorf("the listener was left open")
	}
}

func TestServerTimeouts(t *testing.T) {
	l := Limits{}.withDefaults()
	for name, got := range map[string]time.Duration{
		"ReadHeaderTimeout": l.ReadHeaderTimeout, "ReadTimeout": l.ReadTimeout,
		"WriteTimeout": l.WriteTimeout, "IdleTimeout": l.IdleTimeout, "ShutdownTimeout": l.ShutdownTimeout,
	} {
		if got <= 0 {
			t.Errorf("%s: got %s; want a default", name, got)
		}
	}
	if l.MaxBody != DefaultMaxBody || l.MaxParses < 1 || l.RatePerKey != DefaultRatePerKey {
		t.Errorf("defaults: got %+v", l)
	}
	if got := strconv.Itoa(int(Limits{RatePerKey: -1}.withDefaults().RatePerKey)); got != "-1" {
		t.Errorf("RatePerKey -1: got %s; want -1 (no limit)", got)
	}
}
