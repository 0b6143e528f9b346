//go:build unix

package worker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"sift/parser"
)

// Errors of the pool itself, wrapped in a *parser.Error naming the file.
var (
	// ErrClosed: the pool was closed before or while the document was parsed.
	ErrClosed = errors.New("parse worker pool closed")
	// ErrStart: no worker could be started: the command is missing, is not
	// a sift parse worker, or is another build of sift.
	ErrStart = errors.New("cannot start a parse worker")
)

// Defaults of the Pool's fields.
const (
	DefaultMemoryLimit      = 1 << 30 // bytes per worker
	DefaultMaxJobsPerWorker = 500
)

// A Pool parses documents in worker processes, where a deadline and a
// memory cap can be enforced on a document library that loops or allocates
// without bound: a worker that overruns either is killed (with anything it
// started) and replaced, and the document fails with parser.ErrTimeout or
// parser.ErrTooLarge. A worker that dies any other way fails its document
// with parser.ErrPanic. Every error the pool itself returns is a
// *parser.Error naming the file.
//
// Results are those of (*parser.Parser).ParseBytes in process, with the
// Parser's settings: the same Resume, value for value, and an error with the
// same message and shape that matches the same sentinels with errors.Is.
//
// The zero Pool is ready to use; fields are read when the first document
// is parsed and must not change after. Workers start as they are needed.
// A Pool is safe for concurrent use. Close it to stop its workers.
type Pool struct {
	// Parser holds the limits and as-of month every document is parsed
	// with. AsOf, when zero, is taken from Parser.Now (or the clock) in this
	// process, for each document.
	Parser parser.Parser
	// Size is the most workers, so the most documents parsed at once.
	// Default runtime.NumCPU().
	Size int
	// Command is the argv that starts a worker: a program whose main runs
	// Main (or Run). Default {os.Executable(), Arg}.
	Command []string
	// Env is added to this process's environment for the workers.
	Env []string
	// Timeout is the wall-clock time a worker has for one document before
	// it is killed. Default the Parser's timeout plus a tenth (at least a
	// second), so that a parser that notices its own deadline reports it.
	Timeout time.Duration
	// MemoryLimit caps each worker's memory, in bytes: a worker whose
	// resident size passes it is killed, and in the worker an address-space
	// limit (RLIMIT_AS) and a soft limit for the garbage collector apply.
	// Default DefaultMemoryLimit; negative for none.
	MemoryLimit int64
	// MaxJobsPerWorker is how many documents a worker parses before it is
	// replaced, which bounds what a library leaks. Default
	// DefaultMaxJobsPerWorker.
	MaxJobsPerWorker int
	// Stderr, if not nil, receives what workers write to stderr. The pool
	// keeps the start of it for each document either way, for the message
	// of an error when a worker dies.
	Stderr io.Writer

	once  sync.Once
	slots chan struct{} // one per document being parsed
	done  chan struct{} // closed by Close
	procs sync.WaitGroup

	mu     sync.Mutex
	closed bool
	idle   []*proc
	busy   map[*proc]struct{}
}

func (p *Pool) init() {
	p.once.Do(func() {
		size := p.Size
		if size <= 0 {
			size = runtime.NumCPU()
		}
		p.slots = make(chan struct{}, size)
		p.done = make(chan struct{})
		p.busy = make(map[*proc]struct{})
	})
}

func (p *Pool) timeout() time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	t := p.Parser.Timeout
	if t <= 0 {
		t = parser.DefaultTimeout
	}
	return t + max(t/10, time.Second)
}

func (p *Pool) memoryLimit() int64 {
	switch {
	case p.MemoryLimit < 0:
		return 0
	case p.MemoryLimit == 0:
		return DefaultMemoryLimit
	}
	return p.MemoryLimit
}

func (p *Pool) maxJobs() int {
	if p.MaxJobsPerWorker > 0 {
		return p.MaxJobsPerWorker
	}
	return DefaultMaxJobsPerWorker
}

func (p *Pool) maxBytes() int64 {
	if p.Parser.MaxBytes > 0 {
		return p.Parser.MaxBytes
	}
	return parser.DefaultMaxBytes
}

func (p *Pool) maxDecompressed() int64 {
	if p.Parser.MaxDecompressed > 0 {
		return p.Parser.MaxDecompressed
	}
	return parser.DefaultMaxDecompressed
}

// maxReply bounds a reply: the text of a resume comes from at most the
// document's bytes, or what its streams inflate to.
func (p *Pool) maxReply() int64 {
	return min(4*p.maxBytes()+2*p.maxDecompressed()+16<<20, maxFrame)
}

func (p *Pool) asOf() parser.Month {
	switch {
	case !p.Parser.AsOf.IsZero():
		return p.Parser.AsOf
	case p.Parser.Now != nil:
		return parser.MonthOf(p.Parser.Now())
	}
	return parser.MonthOf(time.Now())
}

func (p *Pool) command() ([]string, error) {
	if len(p.Command) > 0 {
		return p.Command, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return []string{exe, Arg}, nil
}

func (p *Pool) env() []string {
	env := append(os.Environ(), p.Env...)
	return append(env, envMemory+"="+strconv.FormatInt(p.memoryLimit(), 10))
}

// Parse reads a document from r and parses it in a worker; it is
// (*parser.Parser).Parse run in a worker. See ParseBytes.
func (p *Pool) Parse(ctx context.Context, name string, r io.Reader) (*parser.Resume, error) {
	data, err := io.ReadAll(io.LimitReader(r, p.maxBytes()+1))
	if err != nil || int64(len(data)) > p.maxBytes() {
		// The in-process parser reports a read error or a document over
		// the limit before it parses anything.
		pp := p.Parser
		pp.AsOf = p.asOf()
		return pp.Parse(ctx, name, io.MultiReader(bytes.NewReader(data), errReader{err}))
	}
	return p.ParseBytes(ctx, name, data)
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) {
	if r.err == nil {
		return 0, io.EOF
	}
	return 0, r.err
}

// ParseBytes parses a document in a worker, waiting for a free one (or ctx,
// or Close) if all are busy. It returns what (*parser.Parser).ParseBytes
// returns, or, when the worker did not answer, a Resume with Status
// StatusError and a *parser.Error naming the file that wraps
// parser.ErrTimeout (the worker overran Timeout), parser.ErrTooLarge (it
// passed MemoryLimit), parser.ErrPanic (it died or broke the protocol),
// ctx's error (ctx ended while the document was waiting or being parsed: a
// worker parsing it is killed, as it may be stuck), ErrClosed, or ErrStart.
func (p *Pool) ParseBytes(ctx context.Context, name string, data []byte) (*parser.Resume, error) {
	p.init()
	asOf := p.asOf()
	if int64(len(data)) > p.maxBytes() {
		// The in-process parser rejects it before parsing anything.
		pp := p.Parser
		pp.AsOf = asOf
		return pp.ParseBytes(ctx, name, data)
	}
	fail := func(err error) (*parser.Resume, error) {
		if _, ok := err.(*parser.Error); !ok {
			err = &parser.Error{Op: "parse", File: name, Err: err}
		}
		return failed(name, asOf, data, err), err
	}
	j := job{
		Name:            name,
		MaxBytes:        p.Parser.MaxBytes,
		MaxPages:        p.Parser.MaxPages,
		MaxDecompressed: p.Parser.MaxDecompressed,
		Timeout:         p.Parser.Timeout,
		AsOf:            asOf,
		MaxReply:        p.maxReply(),
		Size:            int64(len(data)),
	}
	hdr, err := encode(nil, j)
	if err != nil {
		return fail(err)
	}
	if len(hdr) > maxJobHeader {
		return fail(fmt.Errorf("the file name (%d bytes) is too long to send to a worker", len(name)))
	}
	if j.Size > maxFrame {
		return fail(fmt.Errorf("the document (%d bytes) is too long to send to a worker", len(data)))
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return fail(ctx.Err())
	case <-p.done:
		return fail(ErrClosed)
	}
	defer func() { <-p.slots }()

	w, err := p.get(ctx)
	if err != nil {
		return fail(err)
	}
	timeout, limit := p.timeout(), p.memoryLimit()
	rep, err := w.do(ctx, j, hdr, data, timeout, limit)
	p.put(w, rep, err)
	if err != nil {
		return fail(w.failure(name, err, timeout, limit))
	}
	return rep.Resume, rep.Err.decode()
}

// get returns an idle worker, or starts one, and marks it busy.
func (p *Pool) get(ctx context.Context) (*proc, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	for len(p.idle) > 0 {
		w := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if w.alive() {
			p.busy[w] = struct{}{}
			p.mu.Unlock()
			return w, nil
		}
		w.retire() // it died while idle
	}
	p.procs.Add(1) // for the process about to start, while not closed
	p.mu.Unlock()

	argv, err := p.command()
	if err != nil {
		p.procs.Done()
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	w, err := startProc(argv, p.env(), p.Stderr, &p.procs)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		w.kill(ErrClosed)
		<-w.exited
		w.close()
		return nil, ErrClosed
	}
	p.busy[w] = struct{}{}
	p.mu.Unlock()
	if err := w.hello(ctx); err != nil {
		p.mu.Lock()
		delete(p.busy, w)
		p.mu.Unlock()
		if err == ErrClosed || err == ctx.Err() {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrStart, argv[0], err)
	}
	return w, nil
}

// put takes back a worker after a job: idle again, or retired if it is
// dead, dying, or has done its share of jobs.
func (p *Pool) put(w *proc, rep reply, err error) {
	p.mu.Lock()
	delete(p.busy, w)
	reuse := err == nil && !rep.Exiting && !p.closed && w.alive() && w.jobs < p.maxJobs()
	if reuse {
		p.idle = append(p.idle, w)
	}
	p.mu.Unlock()
	if !reuse && err == nil {
		w.retire()
	}
}

// Close stops the workers: idle ones are told to exit, busy ones are
// killed and their documents fail with ErrClosed. It returns when every
// worker process has been reaped. Parse calls after Close fail with
// ErrClosed. Close may be called more than once.
func (p *Pool) Close() error {
	p.init()
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.done)
	}
	idle := p.idle
	p.idle = nil
	busy := make([]*proc, 0, len(p.busy))
	for w := range p.busy {
		busy = append(busy, w)
	}
	p.mu.Unlock()
	for _, w := range busy {
		w.kill(ErrClosed)
	}
	for _, w := range idle {
		w.retire()
	}
	p.procs.Wait()
	return nil
}
