//go:build unix

package worker

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"

	"sift/parser"
)

// Arg is the hidden first argument that makes sift a parse worker. A Pool's
// default Command is {os.Executable(), Arg}.
const Arg = "__sift-parse-worker"

// envMemory names the environment variable that carries the memory limit
// from the pool to the worker it starts, in bytes; absent or 0 means none.
const envMemory = "SIFT_WORKER_MEMORY_LIMIT"

// IsWorker reports whether this process was started as a parse worker: its
// first argument is Arg. A program that uses a Pool with the default Command
// calls it first thing in main:
//
//	func main() {
//		if worker.IsWorker() {
//			os.Exit(worker.Main())
//		}
//		...
//	}
func IsWorker() bool { return len(os.Args) > 1 && os.Args[1] == Arg }

// Main runs this process as a parse worker, parsing with
// (*parser.Parser).ParseBytes, and returns the exit code. See Run.
func Main() int { return Run(ParseBytes) }

// A ParseFunc parses one document in a worker. p holds the limits and as-of
// month the pool sent with the job. Like ParseBytes, it returns a non-nil
// Resume even with an error.
type ParseFunc func(ctx context.Context, p *parser.Parser, name string, data []byte) (*parser.Resume, error)

// ParseBytes is the ParseFunc Main uses: p.ParseBytes(ctx, name, data).
func ParseBytes(ctx context.Context, p *parser.Parser, name string, data []byte) (*parser.Resume, error) {
	return p.ParseBytes(ctx, name, data)
}

// protocolOut is the worker's end of the reply stream once Run has taken
// it from fd 1; tests use it to break the protocol on purpose.
var protocolOut *os.File

// Run runs this process as a parse worker that parses with parse, and
// returns the exit code: 0 when the pool closed the worker's stdin, 1
// otherwise (a setup or protocol error, or a panic in parse, said on
// stderr). Before serving it
//
//   - applies the memory limit the pool passed in the environment: a soft
//     limit for the garbage collector (debug.SetMemoryLimit) at 80% of it, and
//     RLIMIT_AS so that the address space can grow by no more than the limit
//     plus room for thread stacks (not under the race detector, whose shadow
//     memory needs the address space);
//   - ignores SIGINT, which the terminal sends to the whole foreground process
//     group: the pool's process handles Ctrl-C and stops its workers;
//   - moves the protocol off fds 0 and 1, pointing fd 0 at an empty pipe (a
//     read ends at once, as from /dev/null, which is not opened by name) and
//     fd 1 at stderr, so a library that reads stdin or prints to stdout
//     cannot break the protocol.
//
// Run is the worker's main: it is meant to be called once, in a process the
// pool started.
func Run(parse ParseFunc) int {
	signal.Ignore(os.Interrupt)
	if s := os.Getenv(envMemory); s != "" {
		limit, err := strconv.ParseInt(s, 10, 64)
		if err != nil || limit < 0 {
			fmt.Fprintf(os.Stderr, "sift parse worker: bad %s=%q\n", envMemory, s)
			return 1
		}
		if err := limitMemory(limit); err != nil {
			fmt.Fprintf(os.Stderr, "sift parse worker: %v\n", err)
			return 1
		}
	}
	in, out, err := takeStdio()
	if err != nil {
		fmt.Fprintf(os.Stderr, "sift parse worker: %v\n", err)
		return 1
	}
	protocolOut = out
	if err := Serve(in, out, parse); err != nil {
		fmt.Fprintf(os.Stderr, "sift parse worker: %v\n", err)
		return 1
	}
	return 0
}

// Serve answers jobs from r with replies on w until r ends, calling parse
// for each. It writes the hello first. It returns nil when r ends between
// jobs, and also when r ends while a parse is running: it then returns
// without waiting for the parse, since the pool that sent the job is gone
// (Run's caller exits at once, ending a parse that may be stuck).
//
// The context parse is given is canceled when Serve returns. A panic in
// parse is recovered and answered as an error wrapping parser.ErrPanic;
// Serve then returns an error, so that the worker process exits rather than
// parse again with state the panic may have left broken (the pool does not
// send it another job).
func Serve(r io.Reader, w io.Writer, parse ParseFunc) error {
	if err := writeFrame(w, frameHello, []byte(helloText())); err != nil {
		return fmt.Errorf("writing hello: %w", err)
	}
	// A reader goroutine reads each next job while the current one is
	// parsed, so that the end of r is seen even if parse never returns.
	type request struct {
		job  job
		data []byte
		err  error
	}
	requests := make(chan request)
	next := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		defer close(requests)
		br := bufio.NewReaderSize(r, 64<<10)
		for {
			var q request
			q.job, q.data, q.err = readJob(br)
			select {
			case requests <- q:
			case <-ctx.Done():
				return
			}
			if q.err != nil {
				return
			}
			select {
			case <-next:
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		q, ok := <-requests
		if !ok || q.err == io.EOF {
			return nil
		}
		if q.err != nil {
			return q.err
		}
		done := make(chan reply, 1)
		go func() { done <- runJob(ctx, parse, q.job, q.data) }()
		next <- struct{}{}
		var rep reply
		select {
		case rep = <-done:
		case q, ok := <-requests:
			// The pool sends no job before the reply to the last one, so
			// this is the end of r (or a broken stream).
			if !ok || q.err == io.EOF {
				return nil
			}
			if q.err != nil {
				return q.err
			}
			return fmt.Errorf("a job arrived while another was being parsed")
		}
		if err := writeReply(w, rep, q.job.MaxReply); err != nil {
			return err
		}
		if rep.Exiting {
			return errPanicked
		}
	}
}

var errPanicked = fmt.Errorf("exiting after a panic in the parser")

func readJob(br *bufio.Reader) (job, []byte, error) {
	var j job
	b, err := readFrame(br, frameJob, maxJobHeader)
	if err != nil {
		return j, nil, err
	}
	if err := decode(b, &j); err != nil {
		return j, nil, fmt.Errorf("job header: %w", err)
	}
	if j.Size < 0 || j.Size > maxFrame {
		return j, nil, fmt.Errorf("job header: bad size %d", j.Size)
	}
	data, err := readFrame(br, frameData, j.Size)
	if err == io.EOF {
		err = &errFrame{"stream ended before a job's data", true}
	}
	if err == nil && int64(len(data)) != j.Size {
		err = fmt.Errorf("job data: got %d bytes, the header said %d", len(data), j.Size)
	}
	return j, data, err
}

// runJob parses one job, recovering a panic.
func runJob(ctx context.Context, parse ParseFunc, j job, data []byte) (rep reply) {
	p := &parser.Parser{
		MaxBytes:        j.MaxBytes,
		MaxPages:        j.MaxPages,
		MaxDecompressed: j.MaxDecompressed,
		Timeout:         j.Timeout,
		AsOf:            j.AsOf,
	}
	defer func() {
		if v := recover(); v != nil {
			err := &parser.Error{Op: "parse", File: j.Name, Err: fmt.Errorf("%w: %v", parser.ErrPanic, v)}
			rep = reply{Resume: failed(j.Name, j.AsOf, data, err), Err: encodeError(err), Exiting: true}
		}
	}()
	res, err := parse(ctx, p, j.Name, data)
	if res == nil {
		res = failed(j.Name, j.AsOf, data, err)
	}
	return reply{Resume: res, Err: encodeError(err)}
}

// writeReply writes rep, or, if it is longer than max, an error saying so.
func writeReply(w io.Writer, rep reply, max int64) error {
	b, err := encode(nil, rep)
	if err == nil && int64(len(b)) > max {
		err = fmt.Errorf("%w: the parsed resume takes %d bytes, more than the %d a worker may send", parser.ErrTooLarge, len(b), max)
	}
	if err != nil {
		var name string
		var asOf parser.Month
		if rep.Resume != nil {
			name, asOf = rep.Resume.File, rep.Resume.AsOf
		}
		e := &parser.Error{Op: "parse", File: name, Err: err}
		res := &parser.Resume{File: name, AsOf: asOf, Status: parser.StatusError, Error: e.Error()}
		if rep.Resume != nil {
			res.Format, res.Pages, res.Bytes, res.SHA256 = rep.Resume.Format, rep.Resume.Pages, rep.Resume.Bytes, rep.Resume.SHA256
		}
		if b, err = encode(nil, reply{Resume: res, Err: encodeError(e), Exiting: rep.Exiting}); err != nil {
			return err
		}
	}
	return writeFrame(w, frameReply, b)
}
