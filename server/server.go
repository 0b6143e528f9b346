package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"sift/parser"
	"sift/rules"
	"sift/scoring"
)

// Store is what the server needs of the candidate store. *scoring.Store
// implements it; tests also use a fake. Errors matching scoring.ErrNotFound,
// ErrInvalidQuery, ErrClosed and ErrNotScorable, and rules.ErrInvalidFilter,
// become 404, 400, 503 and 422, and 400 (see Server.Error).
type Store interface {
	Put(ctx context.Context, res *parser.Resume, key string) (*scoring.PutResult, error)
	Get(id string) (*scoring.Candidate, error)
	Delete(ctx context.Context, id string) error
	Score(ctx context.Context, res *parser.Resume) ([]rules.Result, error)
	Shortlist(ctx context.Context, q scoring.ShortlistQuery) (*scoring.ShortlistResult, error)
	Len() int
}

var _ Store = (*scoring.Store)(nil)

// ParseFunc parses one document; the server passes a worker pool's or an
// in-process parser's ParseBytes. Like those, it returns a non-nil Resume
// even with an error.
type ParseFunc func(ctx context.Context, name string, data []byte) (*parser.Resume, error)

// A Server serves the API and the pages. Set its fields, then call Handler
// (for tests) or Serve. Fields are read-only once serving starts.
type Server struct {
	Store    Store
	Profiles []*rules.Profile // the loaded profiles, in display order
	Parse    ParseFunc
	Keys     []Key  // API keys, stored hashed
	Limits   Limits // zero fields take their defaults
	Version  string
	Logger   *slog.Logger     // default: discard
	Now      func() time.Time // default: time.Now

	// WebhookSecret signs webhook deliveries (see Webhooks). Serve refuses
	// to start when a profile has a webhook and the secret is empty.
	WebhookSecret string
	// Webhooks tunes webhook delivery; zero fields take their defaults.
	Webhooks WebhookOptions

	once     sync.Once
	handler  http.Handler
	routes   []route
	metrics  *metrics
	limiters *limiters
	slots    chan struct{} // one per document being parsed
	hooks    *dispatcher
}

// Limits bound what one client or request can take. A zero field means its
// default.
type Limits struct {
	MaxBody           int64         // bytes of a request body; default 20 MiB
	RatePerKey        float64       // requests per second per API key; default 20; negative: no limit
	Burst             int           // burst per key; default 40
	MaxParses         int           // documents parsed at once; default the number of CPUs
	ReadHeaderTimeout time.Duration // default 5 s
	ReadTimeout       time.Duration // default 60 s
	WriteTimeout      time.Duration // default 60 s
	IdleTimeout       time.Duration // default 120 s
	ShutdownTimeout   time.Duration // how long SIGTERM waits for requests in flight; default 30 s
}

// Defaults of Limits.
const (
	DefaultMaxBody           = 20 << 20
	DefaultRatePerKey        = 20
	DefaultBurst             = 40
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultWriteTimeout      = 60 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultShutdownTimeout   = 30 * time.Second
)

// withDefaults returns l with its zero fields set to their defaults.
func (l Limits) withDefaults() Limits {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if l.MaxBody <= 0 {
		l.MaxBody = DefaultMaxBody
	}
	if l.RatePerKey == 0 {
		l.RatePerKey = DefaultRatePerKey
	}
	if l.Burst <= 0 {
		l.Burst = DefaultBurst
	}
	if l.MaxParses <= 0 {
		l.MaxParses = runtime.NumCPU()
	}
	def(&l.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&l.ReadTimeout, DefaultReadTimeout)
	def(&l.WriteTimeout, DefaultWriteTimeout)
	def(&l.IdleTimeout, DefaultIdleTimeout)
	def(&l.ShutdownTimeout, DefaultShutdownTimeout)
	return l
}

func (s *Server) init() {
	s.once.Do(func() {
		s.Limits = s.Limits.withDefaults()
		s.metrics = newMetrics()
		s.limiters = newLimiters(s.Limits.RatePerKey, s.Limits.Burst)
		s.slots = make(chan struct{}, s.Limits.MaxParses)
		s.hooks = newDispatcher(s.Webhooks, s.WebhookSecret, s.metrics, s.logger(), s.now)
		mux := http.NewServeMux()
		s.apiRoutes(mux)
		s.uiRoutes(mux)
		s.handler = s.instrument(mux)
	})
}

// Handler returns the server's HTTP handler: /v1/... (the API), /ui/...
// (the pages), /healthz, /readyz, /metrics and /openapi.json. Webhook
// senders start with the first delivery; Close stops them.
func (s *Server) Handler() http.Handler {
	s.init()
	return s.handler
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// check reports what would make serving fail: no store, no parser, or a
// webhook without a secret to sign it with.
func (s *Server) check() error {
	var errs []error
	if s.Store == nil {
		errs = append(errs, errors.New("no Store"))
	}
	if s.Parse == nil {
		errs = append(errs, errors.New("no Parse function"))
	}
	for _, p := range s.Profiles {
		if p.Webhook != "" && s.WebhookSecret == "" {
			errs = append(errs, fmt.Errorf("profile %s has a webhook, and no webhook secret is set to sign it", p.ID))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

// ListenAndServe listens on addr (such as "127.0.0.1:8080") and serves
// until ctx is cancelled; see Serve.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	if err := s.check(); err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is cancelled, with the timeouts of Limits.
// Then it stops accepting connections, waits up to Limits.ShutdownTimeout
// for requests in flight (after which it cancels their contexts and closes
// their connections), delivers the webhooks still queued within
// Webhooks.DrainTimeout, and returns nil; the caller then closes the store
// and the parser. It returns an error when serving fails for another
// reason. ln is closed when Serve returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if err := s.check(); err != nil {
		ln.Close()
		return err
	}
	h := s.Handler()
	l := s.Limits
	base, hardStop := context.WithCancel(context.WithoutCancel(ctx))
	defer hardStop()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          slog.NewLogLogger(s.logger().Handler(), slog.LevelWarn),
	}
	s.logger().Info("serving", "addr", ln.Addr().String(), "profiles", len(s.Profiles), "keys", len(s.Keys))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		s.Close()
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	s.logger().Info("shutting down", "timeout", l.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), l.ShutdownTimeout)
	err := srv.Shutdown(sctx)
	cancel()
	if err != nil {
		s.logger().Warn("requests still running at the shutdown deadline; cancelling them", "err", err)
		hardStop()
		srv.Close()
	}
	<-errc // http.ErrServerClosed
	return s.Close()
}

// Close stops the webhook senders after delivering what is queued, within
// Webhooks.DrainTimeout; deliveries still queued then are dropped and
// logged. Serve calls it; a caller of Handler alone calls it when done. It
// returns nil; it may be called more than once.
func (s *Server) Close() error {
	s.init()
	s.hooks.close()
	return nil
}
