package worker

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"sift/parser"
)

// The protocol between a pool and a worker runs over the worker's stdin
// (pool to worker) and stdout (worker to pool) as frames: a type byte, a
// 4-byte big-endian payload length, the payload. Every reader bounds the
// length before it allocates.
//
//	worker -> pool  'H' hello: "sift-parse-worker <version> <fingerprint>"
//	pool -> worker  'J' job header (codec-encoded job), then
//	                'D' the document's bytes, as many as the header said
//	worker -> pool  'R' reply (codec-encoded reply)
//
// The worker says hello once, when it starts; then it answers each job with
// one reply, one job at a time. A worker exits when its stdin closes.
// Anything else is a protocol error, and the pool kills the worker.
const (
	frameHello byte = 'H'
	frameJob   byte = 'J'
	frameData  byte = 'D'
	frameReply byte = 'R'
)

// ProtocolVersion is the version of the pool-worker protocol. A pool refuses
// a worker that says another version, or whose wire types differ from its
// own (a worker binary from another build).
const ProtocolVersion = 1

const (
	helloMagic   = "sift-parse-worker"
	maxHello     = 256
	maxJobHeader = 1 << 20 // header frame: the name and the settings
	maxFrame     = 1<<32 - 1
)

// fingerprint identifies the wire types of this build.
var fingerprint = typeFingerprint(job{}, reply{})

func helloText() string {
	return fmt.Sprintf("%s %d %s", helloMagic, ProtocolVersion, fingerprint)
}

// checkHello checks the hello a worker said.
func checkHello(b []byte) error {
	f := strings.Fields(string(b))
	if len(f) < 1 || f[0] != helloMagic {
		return fmt.Errorf("not a sift parse worker: it said %q", truncate(string(b), 64))
	}
	if len(f) != 3 || f[1] != fmt.Sprint(ProtocolVersion) {
		return fmt.Errorf("the worker says %q, this binary speaks protocol version %d: the worker is another build of sift", truncate(string(b), 64), ProtocolVersion)
	}
	if f[2] != fingerprint {
		return fmt.Errorf("the worker's wire types (%s) differ from this binary's (%s): the worker is another build of sift", f[2], fingerprint)
	}
	return nil
}

// job is the header of one document to parse: its name, the parser's
// settings, and how many bytes of document follow in a data frame.
type job struct {
	Name            string
	MaxBytes        int64
	MaxPages        int
	MaxDecompressed int64
	Timeout         time.Duration
	AsOf            parser.Month
	MaxReply        int64 // the largest reply frame the pool reads
	Size            int64 // bytes in the data frame that follows
}

// reply is a worker's answer to a job.
type reply struct {
	Resume *parser.Resume
	Err    *wireError
	// Exiting says the worker exits after this reply (it recovered a panic
	// and does not trust its own state); the pool does not reuse it.
	Exiting bool
}

// wireError carries an error across the pipe: its message, the *parser.Error
// around it if there was one, and the sentinels it matched with errors.Is.
type wireError struct {
	Wrapped  bool // the error was a *parser.Error; Op and File are its fields
	Op, File string
	Msg      string // the message of the *parser.Error's Err, or of the whole error
	Is       []string
}

// sentinels are the errors a decoded error still matches with errors.Is,
// under the names parser.Reason uses.
var sentinels = []struct {
	name string
	err  error
}{
	{"unsupported_format", parser.ErrUnsupportedFormat},
	{"encrypted", parser.ErrEncrypted},
	{"too_large", parser.ErrTooLarge},
	{"malformed", parser.ErrMalformed},
	{"no_text", parser.ErrNoText},
	{"timeout", parser.ErrTimeout},
	{"panic", parser.ErrPanic},
	{"canceled", context.Canceled},
	{"deadline_exceeded", context.DeadlineExceeded},
}

func encodeError(err error) *wireError {
	if err == nil {
		return nil
	}
	w := &wireError{Msg: err.Error()}
	if pe, ok := err.(*parser.Error); ok {
		w.Wrapped, w.Op, w.File = true, pe.Op, pe.File
		if pe.Err != nil {
			w.Msg = pe.Err.Error()
		} else {
			w.Msg = "<nil>"
		}
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			w.Is = append(w.Is, s.name)
		}
	}
	return w
}

func (w *wireError) decode() error {
	if w == nil {
		return nil
	}
	e := &remoteError{msg: w.Msg}
	for _, name := range w.Is {
		for _, s := range sentinels {
			if s.name == name {
				e.is = append(e.is, s.err)
			}
		}
	}
	if w.Wrapped {
		return &parser.Error{Op: w.Op, File: w.File, Err: e}
	}
	return e
}

// remoteError is an error that happened in a worker: its message as the
// worker wrote it, matching the sentinels the original matched.
type remoteError struct {
	msg string
	is  []error
}

func (e *remoteError) Error() string   { return e.msg }
func (e *remoteError) Unwrap() []error { return e.is }

// writeFrame writes one frame in a single Write.
func writeFrame(w io.Writer, typ byte, payload []byte) error {
	if int64(len(payload)) > maxFrame {
		return fmt.Errorf("frame of %d bytes is too long", len(payload))
	}
	buf := make([]byte, 5, 5+len(payload))
	buf[0] = typ
	binary.BigEndian.PutUint32(buf[1:], uint32(len(payload)))
	_, err := w.Write(append(buf, payload...))
	return err
}

// errFrame is a frame that breaks the protocol, or a stream that ended
// inside a frame (ended).
type errFrame struct {
	msg   string
	ended bool
}

func (e *errFrame) Error() string { return e.msg }

// readFrame reads one frame of type want whose payload is at most max
// bytes. It returns io.EOF only at a clean end between frames.
func readFrame(r *bufio.Reader, want byte, max int64) ([]byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return nil, &errFrame{"stream ended inside a frame header", true}
		}
		return nil, err
	}
	n := int64(binary.BigEndian.Uint32(hdr[1:]))
	if hdr[0] != want {
		return nil, &errFrame{msg: fmt.Sprintf("got a frame starting %q, want a %q frame", hdr[:], want)}
	}
	if n > max {
		return nil, &errFrame{msg: fmt.Sprintf("%q frame of %d bytes exceeds the limit of %d", want, n, max)}
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, &errFrame{fmt.Sprintf("stream ended inside a %q frame", want), true}
		}
		return nil, err
	}
	return b, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// failed is the Resume of a document a worker did not answer for.
func failed(name string, asOf parser.Month, data []byte, err error) *parser.Resume {
	sum := sha256.Sum256(data)
	res := &parser.Resume{
		File:   name,
		AsOf:   asOf,
		Status: parser.StatusError,
		Bytes:  int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]),
	}
	if errors.Is(err, parser.ErrNoText) {
		res.Status = parser.StatusNoText
	}
	if err != nil {
		res.Error = err.Error()
	}
	return res
}
