package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// WebhookOptions tune webhook delivery. A zero field means its default.
//
// When a candidate is added or its resume replaced, each result for a
// profile with a Webhook URL is POSTed there as JSON (see WebhookEvent),
// signed with the server's WebhookSecret in the Sift-Signature header (see
// Sign). Deliveries wait in a bounded queue for Workers senders, so a
// request never waits for a receiver; when the queue is full a delivery is
// dropped, counted and logged. A delivery that fails (a network error, a
// timeout, 408, 429 or a 5xx) is retried up to MaxAttempts times in all,
// after Backoff, then twice that, and so on up to MaxBackoff, each wait
// jittered between half and all of it (a receiver's Retry-After, when
// longer and within MaxBackoff, is honoured). Other statuses are not
// retried.
type WebhookOptions struct {
	Queue        int           // deliveries waiting; default 1000
	Workers      int           // deliveries sent at once; default 2
	MaxAttempts  int           // attempts per delivery; default 5
	Backoff      time.Duration // wait before the first retry; default 1 s
	MaxBackoff   time.Duration // longest wait between attempts; default 1 min
	Timeout      time.Duration // per attempt; default 10 s
	DrainTimeout time.Duration // how long Close waits for queued deliveries; default 10 s
	Client       *http.Client  // default: a client with Timeout and no redirects
}

func (o WebhookOptions) withDefaults() WebhookOptions {
	if o.Queue <= 0 {
		o.Queue = 1000
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 5
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Minute
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = 10 * time.Second
	}
	if o.Client == nil {
		o.Client = &http.Client{
			Timeout: o.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		}
	}
	return o
}

// SignatureHeader is the header that carries a webhook's signature.
const SignatureHeader = "Sift-Signature"

// Sign returns the Sift-Signature header value for a webhook body sent at
// t: "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<unix seconds>.<body>">",
// keyed with secret. A receiver recomputes the HMAC over the t it was sent
// and the raw body, compares in constant time, and rejects a t too far
// from its clock (see VerifySignature).
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// ErrBadSignature is returned by VerifySignature.
var ErrBadSignature = errors.New("bad webhook signature")

// VerifySignature checks a Sift-Signature header against the raw body, and
// that its time is within tolerance of now. It is what a receiver written
// in Go runs.
func VerifySignature(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return fmt.Errorf("%w: malformed header", ErrBadSignature)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: timestamp %s from now", ErrBadSignature, d.Round(time.Second))
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return fmt.Errorf("%w: no signature matches", ErrBadSignature)
}

// A WebhookEvent is the JSON body of a webhook delivery.
type WebhookEvent struct {
	Event      string `json:"event"`       // "result"
	Delivery   string `json:"delivery"`    // unique per delivery, the same across its retries
	Candidate  string `json:"candidate"`   // the candidate's id
	ExternalID string `json:"external_id"` // the ATS's id, when it gave one
	Result     any    `json:"result"`      // the rules.Result, with evidence
}

// A delivery is one webhook event to send.
type delivery struct {
	url  string
	id   string
	body []byte
}

// dispatcher sends webhook deliveries from a bounded queue.
type dispatcher struct {
	opts   WebhookOptions
	secret string
	m      *metrics
	log    *slog.Logger
	now    func() time.Time

	start   sync.Once
	queue   chan delivery
	abort   context.Context // done when the drain deadline passes
	abandon context.CancelFunc
	wg      sync.WaitGroup

	mu     sync.RWMutex
	closed bool
}

func newDispatcher(o WebhookOptions, secret string, m *metrics, log *slog.Logger, now func() time.Time) *dispatcher {
	o = o.withDefaults()
	abort, abandon := context.WithCancel(context.Background())
	return &dispatcher{
		opts: o, secret: secret, m: m, log: log, now: now,
		queue: make(chan delivery, o.Queue),
		abort: abort, abandon: abandon,
	}
}

// enqueue queues a delivery without blocking; it reports false when the
// delivery was dropped (queue full, or closed).
func (d *dispatcher) enqueue(dl delivery) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		d.m.webhooks.WithLabelValues("dropped").Inc()
		d.log.Warn("webhook dropped: shutting down", "url", dl.url, "delivery", dl.id)
		return false
	}
	d.start.Do(func() {
		for range d.opts.Workers {
			d.wg.Go(d.work)
		}
	})
	select {
	case d.queue <- dl:
		d.m.webhookQueue.Inc()
		return true
	default:
		d.m.webhooks.WithLabelValues("dropped").Inc()
		d.log.Warn("webhook dropped: queue full", "url", dl.url, "delivery", dl.id, "queue", d.opts.Queue)
		return false
	}
}

// close stops taking deliveries, waits up to DrainTimeout for the queue to
// be sent, then abandons what is left (each logged).
func (d *dispatcher) close() {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	close(d.queue)
	d.mu.Unlock()
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	t := time.NewTimer(d.opts.DrainTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		d.abandon()
		<-done
	}
	d.abandon()
}

func (d *dispatcher) work() {
	for dl := range d.queue {
		d.m.webhookQueue.Dec()
		d.deliver(dl)
	}
}

// deliver sends one delivery, retrying as WebhookOptions says.
func (d *dispatcher) deliver(dl delivery) {
	for attempt := 1; ; attempt++ {
		wait, retry, err := d.send(dl)
		if err == nil {
			d.m.webhooks.WithLabelValues("delivered").Inc()
			return
		}
		if !retry || attempt >= d.opts.MaxAttempts {
			d.m.webhooks.WithLabelValues("failed").Inc()
			d.log.Warn("webhook failed", "url", dl.url, "delivery", dl.id, "attempts", attempt, "err", err)
			return
		}
		d.m.webhooks.WithLabelValues("retried").Inc()
		wait = max(wait, d.backoff(attempt))
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-d.abort.Done():
			t.Stop()
			d.m.webhooks.WithLabelValues("failed").Inc()
			d.log.Warn("webhook abandoned at shutdown", "url", dl.url, "delivery", dl.id, "attempts", attempt, "err", err)
			return
		}
	}
}

// backoff returns the wait after the given failed attempt: Backoff doubled
// per attempt, capped at MaxBackoff, jittered into [half, all] of that.
func (d *dispatcher) backoff(attempt int) time.Duration {
	b := d.opts.Backoff
	for i := 1; i < attempt && b < d.opts.MaxBackoff; i++ {
		b *= 2
	}
	b = min(b, d.opts.MaxBackoff)
	return b/2 + rand.N(b/2+1)
}

// send makes one attempt. It returns whether a failure may be retried, and
// how long the receiver asked to wait (Retry-After).
func (d *dispatcher) send(dl delivery) (wait time.Duration, retry bool, err error) {
	if d.abort.Err() != nil {
		return 0, false, errors.New("shutting down")
	}
	ctx, cancel := context.WithTimeout(d.abort, d.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dl.url, bytes.NewReader(dl.body))
	if err != nil {
		return 0, false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "sift-webhook/1")
	req.Header.Set("Sift-Delivery", dl.id)
	req.Header.Set(SignatureHeader, Sign(d.secret, d.now(), dl.body))
	resp, err := d.opts.Client.Do(req)
	if err != nil {
		return 0, true, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return 0, false, nil
	case c == http.StatusRequestTimeout, c == http.StatusTooManyRequests, c >= 500:
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			wait = min(time.Duration(s)*time.Second, d.opts.MaxBackoff)
		}
		return wait, true, fmt.Errorf("receiver answered %s", resp.Status)
	default:
		return 0, false, fmt.Errorf("receiver answered %s", resp.Status)
	}
}

// newID returns a random id for a webhook delivery.
func newID() string {
	var b [12]byte
	crand.Read(b[:])
	return hex.EncodeToString(b[:])
}
