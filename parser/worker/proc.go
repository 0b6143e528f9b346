//go:build unix

package worker

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"sift/parser"
)

const (
	// pollInterval is how often the memory watchdog reads a busy worker's
	// resident size.
	pollInterval = 10 * time.Millisecond
	// startTimeout bounds a worker's start, up to its hello.
	startTimeout = 30 * time.Second
	// retireGrace is how long a worker whose stdin was closed has to exit
	// before it is killed.
	retireGrace = 2 * time.Second
	// stderrKept is how much of a worker's stderr is kept per job, for the
	// message of an error when the worker dies.
	stderrKept = 8 << 10
)

// Causes of a kill, recorded before the signal is sent.
var (
	errTimedOut = errors.New("timed out")
	errRetired  = errors.New("did not exit when its stdin closed")
)

// canMeasureResident reports whether residentBytes works here.
var canMeasureResident = sync.OnceValue(func() bool {
	_, ok := residentBytes(os.Getpid())
	return ok
})

// memoryError is why the watchdog killed a worker.
type memoryError struct{ resident int64 }

func (e *memoryError) Error() string { return fmt.Sprintf("resident %d MiB", e.resident>>20) }

// garbledError is a reply that breaks the protocol.
type garbledError struct{ err error }

func (e *garbledError) Error() string { return e.err.Error() }

// A proc is one worker process. One goroutine at a time uses it for a job;
// kill may be called from any goroutine.
type proc struct {
	cmd    *exec.Cmd
	pid    int
	stdin  *os.File      // the pool's end of the worker's stdin
	out    *os.File      // the pool's end of the worker's stdout
	stdout *bufio.Reader // over out
	stderr *stderrBuf
	jobs   int // jobs run, for MaxJobsPerWorker

	mu    sync.Mutex
	dead  bool  // the process has exited: its number may not be signalled once reaped
	cause error // why the pool killed it; nil if it did not

	exited chan struct{} // closed when the process is reaped and its stderr read
}

// startProc starts a worker process; hello then reads what it says first.
// The caller has added 1 to wg for the process: startProc calls wg.Done
// when the process is reaped, or at once if it does not start.
func startProc(argv, env []string, stderr io.Writer, wg *sync.WaitGroup) (*proc, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		wg.Done()
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		wg.Done()
		inR.Close()
		inW.Close()
		return nil, err
	}
	w := &proc{stdin: inW, out: outR, stderr: &stderrBuf{w: stderr}, exited: make(chan struct{})}
	w.cmd = exec.Command(argv[0], argv[1:]...)
	w.cmd.Stdin = inR
	w.cmd.Stdout = outW
	w.cmd.Stderr = w.stderr
	w.cmd.Env = env
	// Its own process group, so that a kill reaches anything the worker
	// started and the terminal's Ctrl-C does not reach the worker.
	w.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	w.cmd.WaitDelay = time.Second
	err = w.cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		wg.Done()
		inW.Close()
		outR.Close()
		return nil, err
	}
	w.pid = w.cmd.Process.Pid
	w.stdout = bufio.NewReaderSize(outR, 64<<10)
	go w.wait(wg)
	return w, nil
}

// hello reads and checks the worker's hello. On error the worker is dead
// and reaped, and the error is ctx's error, ErrClosed (Close killed it), or
// says what went wrong.
func (w *proc) hello(ctx context.Context) error {
	stop := w.watch(ctx, startTimeout, 0)
	b, err := readFrame(w.stdout, frameHello, maxHello)
	if err == nil {
		err = checkHello(b)
	}
	stop()
	if err == nil {
		return nil
	}
	ended := endOfStream(err)
	if ended {
		w.reap()
	} else {
		w.kill(err)
		<-w.exited
	}
	w.close()
	switch cause := w.killed(); {
	case cause == errTimedOut:
		return fmt.Errorf("no hello within %s", startTimeout)
	case cause == ErrClosed, cause == context.Canceled, cause == context.DeadlineExceeded:
		return cause
	case ended:
		return fmt.Errorf("it exited before its hello (%s)%s", w.cmd.ProcessState, w.stderr.summary(": "))
	case errors.As(err, new(*errFrame)):
		return fmt.Errorf("not a sift parse worker: %v", err)
	}
	return err
}

// endOfStream reports whether err says the worker closed its stdout, most
// likely as it exited.
func endOfStream(err error) bool {
	var fe *errFrame
	return err == io.EOF || errors.As(err, &fe) && fe.ended
}

// reap waits for a worker that closed its stdout to exit, kills it if it
// has not within retireGrace, and waits until it is reaped.
func (w *proc) reap() {
	t := time.NewTimer(retireGrace)
	defer t.Stop()
	select {
	case <-w.exited:
	case <-t.C:
		w.kill(&garbledError{errors.New("it closed its output but did not exit")})
		<-w.exited
	}
}

// wait waits for the process to exit, kills what is left of its process
// group while the unreaped process still holds the group's number, then
// reaps it. Where a process cannot be waited for without reaping it, it is
// reaped first and its group is not killed after it exits.
func (w *proc) wait(wg *sync.WaitGroup) {
	defer wg.Done()
	if waitExit(w.pid) == nil {
		w.mu.Lock()
		syscall.Kill(-w.pid, syscall.SIGKILL)
		w.dead = true
		w.mu.Unlock()
		w.cmd.Wait()
	} else {
		w.cmd.Wait()
		w.mu.Lock()
		w.dead = true
		w.mu.Unlock()
	}
	close(w.exited)
}

// kill records cause (unless the process was already killed or has
// exited) and kills the worker's process group.
func (w *proc) kill(cause error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dead {
		return
	}
	if w.cause == nil {
		w.cause = cause
	}
	syscall.Kill(-w.pid, syscall.SIGKILL)
}

// killed reports whether the pool killed the worker, and why.
func (w *proc) killed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cause
}

// alive reports whether the process has not exited, as far as is known.
func (w *proc) alive() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.dead && w.cause == nil
}

// close closes the pool's ends of the pipes.
func (w *proc) close() {
	w.stdin.Close()
	w.out.Close()
}

// retire closes the worker's stdin, which makes it exit, and kills it if
// it has not within retireGrace.
func (w *proc) retire() {
	w.stdin.Close()
	go func() {
		t := time.NewTimer(retireGrace)
		defer t.Stop()
		select {
		case <-w.exited:
		case <-t.C:
			w.kill(errRetired)
			<-w.exited
		}
		w.out.Close()
	}()
}

// watch kills the worker when timeout passes, ctx is done, or (memLimit > 0)
// its resident size passes memLimit, until the returned stop is called.
func (w *proc) watch(ctx context.Context, timeout time.Duration, memLimit int64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		timer := time.NewTimer(timeout)
		defer timer.Stop()
		var tick <-chan time.Time
		if memLimit > 0 && canMeasureResident() {
			t := time.NewTicker(pollInterval)
			defer t.Stop()
			tick = t.C
		}
		for {
			select {
			case <-done:
				return
			case <-timer.C:
				w.kill(errTimedOut)
				return
			case <-ctx.Done():
				w.kill(ctx.Err())
				return
			case <-tick:
				if rss, ok := residentBytes(w.pid); ok && rss > memLimit {
					w.kill(&memoryError{resident: rss})
					return
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// do runs one job: it sends the job (j, encoded as hdr) and its data and
// reads the reply, with the worker killed if it overruns timeout or
// memLimit or ctx ends. After a non-nil error the worker is dead and
// reaped, and the error is why the pool killed it (errTimedOut,
// *memoryError, ctx's error, ErrClosed, *garbledError), or an I/O error
// from a worker that died by itself.
func (w *proc) do(ctx context.Context, j job, hdr, data []byte, timeout time.Duration, memLimit int64) (reply, error) {
	w.jobs++
	w.stderr.reset()
	stop := w.watch(ctx, timeout, memLimit)
	rep, err := w.exchange(j, hdr, data)
	stop()
	if err == nil {
		return rep, nil
	}
	if errors.As(err, new(*garbledError)) {
		w.kill(err)
		<-w.exited
	} else {
		// The worker closed its stdout, or a write to it failed: it is
		// dying, or was killed.
		w.reap()
	}
	w.close()
	if cause := w.killed(); cause != nil {
		return reply{}, cause
	}
	return reply{}, err
}

// exchange sends a job, its header encoded as hdr, and reads the reply.
func (w *proc) exchange(j job, hdr, data []byte) (reply, error) {
	var rep reply
	// The header frame and the data frame's header in one write, then the
	// data as it is, uncopied.
	buf := make([]byte, 0, 10+len(hdr))
	buf = binary.BigEndian.AppendUint32(append(buf, frameJob), uint32(len(hdr)))
	buf = append(buf, hdr...)
	buf = binary.BigEndian.AppendUint32(append(buf, frameData), uint32(len(data)))
	if _, err := w.stdin.Write(buf); err != nil {
		return rep, err
	}
	if _, err := w.stdin.Write(data); err != nil {
		return rep, err
	}
	b, err := readFrame(w.stdout, frameReply, j.MaxReply)
	if err != nil {
		if !endOfStream(err) && errors.As(err, new(*errFrame)) {
			return rep, &garbledError{err}
		}
		return rep, err
	}
	if err := decode(b, &rep); err != nil {
		return rep, &garbledError{fmt.Errorf("reply: %w", err)}
	}
	if rep.Resume == nil {
		return rep, &garbledError{errors.New("reply without a resume")}
	}
	return rep, nil
}

// failure turns what do returned for a worker that is now dead into the
// error ParseBytes returns for the document.
func (w *proc) failure(name string, err error, timeout time.Duration, memLimit int64) error {
	wrap := func(err error) error { return &parser.Error{Op: "parse", File: name, Err: err} }
	var mem *memoryError
	var g *garbledError
	switch {
	case err == errTimedOut:
		return wrap(fmt.Errorf("%w after %s; the worker was killed", parser.ErrTimeout, timeout))
	case errors.As(err, &mem):
		return wrap(fmt.Errorf("%w: exceeded the memory limit of %d MiB (%s); the worker was killed", parser.ErrTooLarge, memLimit>>20, mem))
	case err == ErrClosed, err == context.Canceled, err == context.DeadlineExceeded:
		return wrap(err)
	case errors.As(err, &g):
		return wrap(fmt.Errorf("%w: garbled reply from the worker: %v%s", parser.ErrPanic, g.err, w.stderr.summary("; stderr: ")))
	case memLimit > 0 && w.stderr.outOfMemory():
		return wrap(fmt.Errorf("%w: exceeded the memory limit of %d MiB%s", parser.ErrTooLarge, memLimit>>20, w.stderr.summary(": ")))
	}
	if w.killed() == nil && w.cmd.ProcessState != nil {
		return wrap(fmt.Errorf("%w: the worker died (%s)%s", parser.ErrPanic, w.cmd.ProcessState, w.stderr.summary(": ")))
	}
	return wrap(fmt.Errorf("%w: the worker failed: %v%s", parser.ErrPanic, err, w.stderr.summary(": ")))
}

// stderrBuf keeps the start of what a worker writes to stderr since the
// last reset, and copies all of it to w if w is not nil.
type stderrBuf struct {
	w io.Writer

	mu   sync.Mutex
	kept []byte
}

var stderrMu sync.Mutex // serializes writes to the pools' Stderr writers

func (b *stderrBuf) Write(p []byte) (int, error) {
	if b.w != nil {
		stderrMu.Lock()
		b.w.Write(p)
		stderrMu.Unlock()
	}
	b.mu.Lock()
	if n := stderrKept - len(b.kept); n > 0 {
		b.kept = append(b.kept, p[:min(n, len(p))]...)
	}
	b.mu.Unlock()
	return len(p), nil
}

func (b *stderrBuf) reset() {
	b.mu.Lock()
	b.kept = b.kept[:0]
	b.mu.Unlock()
}

// summary returns prefix and the most telling line of what was kept: one
// about running out of memory, a panic or fatal error, or else the first;
// or "" if nothing was written.
func (b *stderrBuf) summary(prefix string) string {
	b.mu.Lock()
	text := string(b.kept)
	b.mu.Unlock()
	var first, panicLine, oom string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case oom == "" && strings.Contains(l, "out of memory"):
			oom = l
		case panicLine == "" && (strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ")):
			panicLine = l
		case first == "":
			first = l
		}
	}
	for _, l := range []string{oom, panicLine, first} {
		if l != "" {
			return prefix + truncate(l, 300)
		}
	}
	return ""
}

// outOfMemory reports whether the kept stderr says the worker ran out of
// memory: the Go runtime's "out of memory", or a thread that could not be
// created for want of address space.
func (b *stderrBuf) outOfMemory() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := string(b.kept)
	return strings.Contains(s, "out of memory") ||
		strings.Contains(s, "cannot allocate memory") ||
		strings.Contains(s, "errno=12") ||
		strings.Contains(s, "pthread_create failed")
}
