//go:build unix

package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"sift/parser"
)

// The test binary is also the worker the tests start: with testWorkerEnv
// set, TestMain runs it as one instead of running the tests.
const testWorkerEnv = "SIFT_WORKER_TEST"

func TestMain(m *testing.M) {
	switch os.Getenv(testWorkerEnv) {
	case "worker":
		os.Exit(Run(testParse))
	case "grandchild":
		time.Sleep(time.Hour)
		os.Exit(0)
	case "badversion":
		writeFrame(os.Stdout, frameHello, []byte(helloMagic+" 99 "+fingerprint))
		time.Sleep(time.Hour)
		os.Exit(0)
	case "badtypes":
		writeFrame(os.Stdout, frameHello, []byte(fmt.Sprintf("%s %d 0123456789abcdef", helloMagic, ProtocolVersion)))
		time.Sleep(time.Hour)
		os.Exit(0)
	case "usage": // a program that does not know Arg
		fmt.Fprintln(os.Stderr, "usage: something else entirely")
		os.Exit(2)
	case "junk": // a program that writes something else
		fmt.Println("hello, world")
		time.Sleep(time.Hour)
		os.Exit(0)
	case "orphaner":
		os.Exit(orphaner())
	case "dirtynull": // a worker where /dev/null holds data
		if err := dirtyDevNull(); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", cannotDirty, err)
			os.Exit(1)
		}
		os.Exit(Run(testParse))
	}
	if IsWorker() {
		os.Exit(Main())
	}
	// Start the runtime's poller, whose descriptors would otherwise look
	// like a leak of the first test.
	if r, w, err := os.Pipe(); err == nil {
		r.Close()
		w.Close()
	}
	os.Exit(m.Run())
}

// testParse parses like ParseBytes, except for documents starting with
// "!", which misbehave on request.
func testParse(ctx context.Context, p *parser.Parser, name string, data []byte) (*parser.Resume, error) {
	cmd, arg, _ := strings.Cut(string(data), " ")
	switch cmd {
	case "!spin": // an infinite loop
		for {
		}
	case "!sleep": // blocked for good
		time.Sleep(time.Hour)
	case "!alloc": // allocates without bound, touching what it gets
		var keep [][]byte
		for {
			b := make([]byte, 1<<20)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1
			}
			keep = append(keep, b)
		}
	case "!bigalloc": // one allocation far past the limit, never touched
		n, _ := strconv.ParseInt(arg, 10, 64)
		b := make([]byte, n)
		return &parser.Resume{File: name, AsOf: p.AsOf, Status: parser.StatusOK, Text: strconv.Itoa(len(b))}, nil
	case "!panic": // a panic Serve recovers
		panic("boom")
	case "!gopanic": // a panic in another goroutine, which kills the process
		go panic("boom in a goroutine")
		time.Sleep(time.Hour)
	case "!exit3":
		os.Exit(3)
	case "!garbage": // breaks the protocol
		protocolOut.Write([]byte("garbage that is not a frame"))
		time.Sleep(time.Hour)
	case "!badreply": // a well-framed reply that does not decode
		writeFrame(protocolOut, frameReply, []byte{0xff, 0xff, 0xff})
		time.Sleep(time.Hour)
	case "!stdio": // a library that prints to stdout and reads stdin
		fmt.Println("stray output")
		b, err := os.Stdin.Read(make([]byte, 10))
		return &parser.Resume{File: name, AsOf: p.AsOf, Status: parser.StatusOK, Text: fmt.Sprint(b, err)}, nil
	case "!grandchild": // starts a process, writes its pid to the file arg, hangs
		c := exec.Command(os.Args[0])
		c.Env = append(os.Environ(), testWorkerEnv+"=grandchild")
		if err := c.Start(); err != nil {
			panic(err)
		}
		os.WriteFile(arg, []byte(strconv.Itoa(c.Process.Pid)), 0o600)
		time.Sleep(time.Hour)
	case "!pid":
		return &parser.Resume{File: name, AsOf: p.AsOf, Status: parser.StatusOK, Text: strconv.Itoa(os.Getpid())}, nil
	case "!rich":
		return richResume(name), nil
	case "!error":
		return sentinelError(p, name, arg)
	case "!nil":
		return nil, fmt.Errorf("custom: %w", context.DeadlineExceeded)
	case "!huge":
		return &parser.Resume{File: name, Text: strings.Repeat("x", 17<<20)}, nil
	}
	return p.ParseBytes(ctx, name, data)
}

// sentinelError fails the way a format reader does, with the sentinel
// named by reason.
func sentinelError(p *parser.Parser, name, reason string) (*parser.Resume, error) {
	var err error
	for _, s := range sentinels {
		if s.name == reason {
			err = &parser.Error{Op: "pdf", File: name, Err: fmt.Errorf("page 3: %w: detail", s.err)}
		}
	}
	if err == nil {
		err = &parser.Error{Op: "pdf", File: name, Err: errors.New("no sentinel")}
	}
	return &parser.Resume{File: name, AsOf: p.AsOf, Status: parser.StatusError, Format: parser.FormatPDF, Error: err.Error()}, err
}

// richResume is a Resume with what a lossy encoding would lose: invalid
// UTF-8, months JSON cannot read back, nil and empty slices, nil and
// non-nil pointers to zero values.
func richResume(name string) *parser.Resume {
	end, zero := parser.Month{Year: 2021, Month: 3}, parser.Month{}
	return &parser.Resume{
		File:     name,
		Format:   parser.FormatPDF,
		Pages:    3,
		Status:   parser.StatusOK,
		Warnings: []string{},
		SHA256:   "00ff",
		Bytes:    1234,
		AsOf:     parser.Month{Year: 2024, Month: 6},
		Text:     "Jane Doe\nCISO \xff\xfe not UTF-8 <b>&amp;</b> \u2028 \x00 é end",
		HiddenText: []parser.HiddenText{
			{Text: "white \xc3", Reason: "white_text", Page: 2},
		},
		Contact: parser.Contact{Name: "Jane", Phones: []string{}, Links: []string{"https://example.com", ""}},
		Sections: []parser.Section{
			{Kind: parser.KindExperience, Heading: "Experience", Start: 9, End: 40},
		},
		Positions: []parser.Position{
			{Title: "CISO", Organization: "Acme", Start: parser.Month{Year: 2019}, Current: true, Months: 60, Dates: "2019 – Present", Offset: 9},
			{Title: "Manager", Start: parser.Month{Year: 2015, Month: 13}, End: &end, Months: -1},
			{End: &zero},
		},
		Education:        []parser.Education{},
		ExperienceMonths: 61,
		Producer:         "",
	}
}

// workerEnv is the environment of test workers. A worker built with the
// race detector otherwise sleeps a second when it exits.
var workerEnv = []string{testWorkerEnv + "=worker", "GORACE=" + os.Getenv("GORACE") + " atexit_sleep_ms=0"}

func testPool(t *testing.T) *Pool {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	checkLeaks(t)
	p := &Pool{
		Parser:  parser.Parser{AsOf: parser.Month{Year: 2024, Month: 6}},
		Size:    2,
		Command: []string{exe},
		Env:     workerEnv,
		Timeout: 30 * time.Second,
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return p
}

// checkLeaks fails t if, after the test and its pool's Close, a child
// process of the test is left, or goroutines or file descriptors are.
func checkLeaks(t *testing.T) {
	t.Helper()
	goroutines := runtime.NumGoroutine()
	fds := openFiles()
	t.Cleanup(func() {
		if kids := children(); len(kids) > 0 {
			t.Errorf("child processes left after Close: %v", kids)
		}
		deadline := time.Now().Add(5 * time.Second)
		for len(openFiles()) > len(fds) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if now := openFiles(); len(now) > len(fds) {
			t.Errorf("open files: got %v after Close; want %v", now, fds)
		}
		deadline = time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > goroutines {
			buf := make([]byte, 1<<20)
			t.Errorf("goroutines: got %d after Close; want %d\n%s", n, goroutines, buf[:runtime.Stack(buf, true)])
		}
	})
}

// openFiles returns what this process's file descriptors point to.
func openFiles() []string {
	var files []string
	entries, _ := os.ReadDir("/proc/self/fd")
	for _, e := range entries {
		target, _ := os.Readlink("/proc/self/fd/" + e.Name())
		files = append(files, e.Name()+"->"+target)
	}
	return files
}

// children returns the pids of this process's children, from /proc.
func children() []int {
	var kids []int
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		if ppid, _ := procStat(pid); ppid == os.Getpid() {
			kids = append(kids, pid)
		}
	}
	return kids
}

// procStat returns a process's parent pid and state, or 0 and "" if it
// is gone.
func procStat(pid int) (ppid int, state string) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, ""
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 2 {
		return 0, ""
	}
	ppid, _ = strconv.Atoi(f[1])
	return ppid, f[0]
}

// gone reports whether process pid has exited (a zombie counts: it has).
func gone(pid int) bool {
	_, state := procStat(pid)
	return state == "" || state == "Z" || state == "X"
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still running", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameError fails t unless got is what want is to a caller: the same
// message, *parser.Error fields, sentinels and reason.
func sameError(t *testing.T, got, want error) {
	t.Helper()
	if (got == nil) != (want == nil) {
		t.Fatalf("error: got %v; want %v", got, want)
	}
	if got == nil {
		return
	}
	if got.Error() != want.Error() {
		t.Errorf("error: got %q; want %q", got, want)
	}
	for _, s := range sentinels {
		if g, w := errors.Is(got, s.err), errors.Is(want, s.err); g != w {
			t.Errorf("errors.Is(%q, %s): got %v; want %v", got, s.name, g, w)
		}
	}
	var ge, we *parser.Error
	if g, w := errors.As(got, &ge), errors.As(want, &we); g != w {
		t.Errorf("errors.As(%q, *parser.Error): got %v; want %v", got, g, w)
	} else if g && (ge.Op != we.Op || ge.File != we.File) {
		t.Errorf("*parser.Error: got Op %q File %q; want Op %q File %q", ge.Op, ge.File, we.Op, we.File)
	}
	if g, w := parser.Reason(got), parser.Reason(want); g != w {
		t.Errorf("Reason: got %q; want %q", g, w)
	}
}

// documents are inputs whose in-process results do not depend on the PDF
// and DOCX readers: text, Markdown, and what Detect rejects.
func documents(t *testing.T) map[string][]byte {
	docs := map[string][]byte{
		"plain.txt":       []byte("Jane Doe\njane@example.com\n\nEXPERIENCE\nChief Security Officer, Acme Corp\nJan 2019 - Present\n\nEDUCATION\nB.S. Computer Science, State University, 2010\n\nCERTIFICATIONS\nCISSP, CISM\n"),
		"notes.md":        []byte("# John Roe\n\n## Experience\n\n**Security Manager**, Initech (2015-2020)\n\n## Education\n\nM.S. Information Assurance\n"),
		"latin1.txt":      []byte("Ren\xe9 Dupont\nDirecteur de la s\xe9curit\xe9\n"),
		"empty.txt":       {},
		"blank.txt":       []byte("\n\n   \n"),
		"binary.bin":      {0x01, 0x02, 0x00, 0x03, 0xff, 0xfe, 0x00, 0x00},
		"page.html":       []byte("<!DOCTYPE html><html><body>resume</body></html>"),
		"photo.png":       []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
		"legacy.doc":      append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 64)...),
		"locked.docx":     append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")...),
		"broken.docx":     []byte("PK\x03\x04 this is not really a zip archive"),
		"letter.rtf":      []byte("{\\rtf1\\ansi resume}"),
		"name with 🙂.txt": []byte("Name\nSkills: Go\n"),
	}
	files, _ := filepath.Glob("../../testdata/resumes/*.txt")
	md, _ := filepath.Glob("../../testdata/resumes/*.md")
	for _, f := range append(files, md...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[filepath.Base(f)] = b
	}
	return docs
}

func TestPoolMatchesInProcess(t *testing.T) {
	p := testPool(t)
	p.Parser.MaxBytes = 4 << 10
	docs := documents(t)
	docs["big.txt"] = bytes.Repeat([]byte("x\n"), 3<<10) // over MaxBytes
	for name, data := range docs {
		t.Run(name, func(t *testing.T) {
			want, wantErr := p.Parser.ParseBytes(context.Background(), name, data)
			got, err := p.ParseBytes(context.Background(), name, data)
			sameError(t, err, wantErr)
			if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
				t.Errorf("Resume:\ngot  %s\nwant %s", g, w)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Resume: got %#v; want %#v", got, want)
			}
			// Parse, from a reader, is the same.
			got, err = p.Parse(context.Background(), name, bytes.NewReader(data))
			want, wantErr = p.Parser.Parse(context.Background(), name, bytes.NewReader(data))
			sameError(t, err, wantErr)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Parse: got %#v; want %#v", got, want)
			}
		})
	}
}

func TestRoundTripLosesNothing(t *testing.T) {
	p := testPool(t)
	got, err := p.ParseBytes(context.Background(), "rich.pdf", []byte("!rich"))
	if err != nil {
		t.Fatal(err)
	}
	want := richResume("rich.pdf")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
		t.Errorf("JSON: got %s\nwant %s", g, w)
	}
	if got.Warnings == nil || got.Certifications != nil || got.Contact.Emails != nil || got.Contact.Phones == nil {
		t.Errorf("nil and empty slices mixed up: Warnings %#v, Certifications %#v, Emails %#v, Phones %#v",
			got.Warnings, got.Certifications, got.Contact.Emails, got.Contact.Phones)
	}
}

func TestErrorsSurviveTheRoundTrip(t *testing.T) {
	p := testPool(t)
	for _, s := range append(sentinels, struct {
		name string
		err  error
	}{"none", nil}) {
		t.Run(s.name, func(t *testing.T) {
			data := []byte("!error " + s.name)
			pp := p.Parser
			want, wantErr := sentinelError(&pp, "x.pdf", s.name)
			got, err := p.ParseBytes(context.Background(), "x.pdf", data)
			sameError(t, err, wantErr)
			if s.err != nil && !errors.Is(err, s.err) {
				t.Errorf("errors.Is(%v, %v) = false", err, s.err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Resume: got %#v; want %#v", got, want)
			}
		})
	}
	t.Run("not a *parser.Error", func(t *testing.T) {
		got, err := p.ParseBytes(context.Background(), "x.pdf", []byte("!nil"))
		if err == nil || err.Error() != "custom: context deadline exceeded" || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v; want custom: context deadline exceeded", err)
		}
		if errors.As(err, new(*parser.Error)) {
			t.Errorf("got a *parser.Error; want the error as it was")
		}
		if got == nil || got.Status != parser.StatusError || got.Error != err.Error() {
			t.Errorf("Resume: got %#v", got)
		}
	})
}

func TestReplyTooLarge(t *testing.T) {
	p := testPool(t)
	p.Parser.MaxBytes, p.Parser.MaxDecompressed = 1<<10, 1<<10 // replies up to 16 MiB + 6 KiB
	_, err := p.ParseBytes(context.Background(), "huge.txt", []byte("!huge"))
	if !errors.Is(err, parser.ErrTooLarge) || !strings.Contains(err.Error(), "huge.txt") {
		t.Errorf("got %v; want ErrTooLarge naming huge.txt", err)
	}
	assertWorks(t, p)
}

// assertWorks fails t unless p parses a text document.
func assertWorks(t *testing.T, p *Pool) {
	t.Helper()
	data := []byte("Jane Doe\nSecurity Manager\n")
	want, wantErr := p.Parser.ParseBytes(context.Background(), "next.txt", data)
	got, err := p.ParseBytes(context.Background(), "next.txt", data)
	sameError(t, err, wantErr)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("next document: got %#v; want %#v", got, want)
	}
}

func workerPid(t *testing.T, p *Pool) int {
	t.Helper()
	res, err := p.ParseBytes(context.Background(), "pid", []byte("!pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(res.Text)
	return pid
}

func TestTimeoutKillsWorker(t *testing.T) {
	for _, doc := range []string{"!spin", "!sleep"} {
		t.Run(doc, func(t *testing.T) {
			p := testPool(t)
			p.Size = 1
			p.Timeout = 300 * time.Millisecond
			pid := workerPid(t, p)
			res, err := p.ParseBytes(context.Background(), "stuck.pdf", []byte(doc))
			var pe *parser.Error
			if !errors.Is(err, parser.ErrTimeout) || !errors.As(err, &pe) || pe.File != "stuck.pdf" {
				t.Fatalf("got %v; want a *parser.Error for stuck.pdf wrapping ErrTimeout", err)
			}
			if res == nil || res.Status != parser.StatusError || res.Error != err.Error() || res.File != "stuck.pdf" {
				t.Errorf("Resume: got %#v", res)
			}
			t.Logf("%v", err)
			waitGone(t, pid)
			if next := workerPid(t, p); next == pid {
				t.Errorf("worker %d reused after a timeout", pid)
			}
			assertWorks(t, p)
		})
	}
}

func TestTimeoutKillsGrandchildren(t *testing.T) {
	p := testPool(t)
	p.Timeout = 300 * time.Millisecond
	pidFile := filepath.Join(t.TempDir(), "pid")
	_, err := p.ParseBytes(context.Background(), "spawns.pdf", []byte("!grandchild "+pidFile))
	if !errors.Is(err, parser.ErrTimeout) {
		t.Fatalf("got %v; want ErrTimeout", err)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(string(b))
	waitGone(t, pid)
}

func TestMemoryRunaway(t *testing.T) {
	p := testPool(t)
	p.MemoryLimit = 128 << 20
	res, err := p.ParseBytes(context.Background(), "bomb.pdf", []byte("!alloc"))
	if !errors.Is(err, parser.ErrTooLarge) || !strings.Contains(err.Error(), "bomb.pdf") ||
		!strings.Contains(err.Error(), "exceeded the memory limit of 128 MiB") {
		t.Fatalf("got %v; want ErrTooLarge, exceeded the memory limit of 128 MiB, for bomb.pdf", err)
	}
	if res.Error != err.Error() {
		t.Errorf("Resume.Error: got %q; want %q", res.Error, err)
	}
	t.Logf("%v", err)
	assertWorks(t, p)
}

func TestAddressSpaceLimit(t *testing.T) {
	if raceEnabled {
		t.Skip("no RLIMIT_AS under the race detector")
	}
	p := testPool(t)
	p.MemoryLimit = 64 << 20
	// The runtime works under the limit...
	assertWorks(t, p)
	// ...and an allocation far past it, never touched so the resident
	// size stays small, fails at once.
	_, err := p.ParseBytes(context.Background(), "big.pdf", []byte("!bigalloc 68719476736"))
	if !errors.Is(err, parser.ErrTooLarge) || !strings.Contains(err.Error(), "out of memory") {
		t.Fatalf("got %v; want ErrTooLarge, out of memory", err)
	}
	t.Logf("%v", err)
	assertWorks(t, p)
}

func TestCrashes(t *testing.T) {
	p := testPool(t)
	p.Timeout = 10 * time.Second
	for _, tc := range []struct{ doc, want string }{
		{"!panic", "internal error in a document library: boom"},
		{"!gopanic", "panic: boom in a goroutine"},
		{"!exit3", "exit status 3"},
		{"!garbage", "garbled reply"},
		{"!badreply", "garbled reply"},
	} {
		t.Run(tc.doc, func(t *testing.T) {
			res, err := p.ParseBytes(context.Background(), "crash.pdf", []byte(tc.doc))
			var pe *parser.Error
			if !errors.Is(err, parser.ErrPanic) || !errors.As(err, &pe) || pe.File != "crash.pdf" || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v; want a *parser.Error for crash.pdf wrapping ErrPanic, saying %q", err, tc.want)
			}
			if res == nil || res.Status != parser.StatusError || res.Error != err.Error() {
				t.Errorf("Resume: got %#v", res)
			}
			t.Logf("%v", err)
			assertWorks(t, p)
		})
	}
}

func TestStderrIsPassedOn(t *testing.T) {
	p := testPool(t)
	var buf lockedBuffer
	p.Stderr = &buf
	if _, err := p.ParseBytes(context.Background(), "crash.pdf", []byte("!gopanic")); !errors.Is(err, parser.ErrPanic) {
		t.Fatalf("got %v; want ErrPanic", err)
	}
	p.Close() // waits until the worker's stderr is read
	if got := buf.String(); !strings.Contains(got, "panic: boom in a goroutine\n\ngoroutine ") {
		t.Errorf("Stderr: got %q; want the worker's panic and stack", got)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestStrayStdioDoesNotBreakTheProtocol(t *testing.T) {
	p := testPool(t)
	res, err := p.ParseBytes(context.Background(), "stdio", []byte("!stdio"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "0 EOF"; res.Text != want {
		t.Errorf("reading stdin in a worker: got %q; want %q", res.Text, want)
	}
}

// devNullJunk is what /dev/null holds in a "dirtynull" worker, and
// cannotDirty what such a worker says when it cannot arrange that.
const (
	devNullJunk = "written to /dev/null by the test worker \"dirtynull\"\n"
	cannotDirty = "cannot put data in /dev/null"
)

// TestStdinIsEmptyWhereDevNullIsNot runs the test above in a worker where
// /dev/null is a regular file with data in it, as it was in the CI run
// where that test failed: a worker's stdin must not be whatever file has
// that name.
func TestStdinIsEmptyWhereDevNullIsNot(t *testing.T) {
	p := testPool(t)
	p.Env = []string{testWorkerEnv + "=dirtynull", workerEnv[1]}
	res, err := p.ParseBytes(context.Background(), "stdio", []byte("!stdio"))
	if errors.Is(err, ErrStart) && strings.Contains(err.Error(), cannotDirty) {
		t.Skip(err) // not root, or no mount namespaces
	}
	if err != nil {
		t.Fatal(err)
	}
	if want := "0 EOF"; res.Text != want {
		t.Errorf("reading stdin in a worker where /dev/null holds %q: got %q; want %q", devNullJunk, res.Text, want)
	}
	// The worker's /dev/null was its own.
	if b, _ := os.ReadFile(os.DevNull); strings.Contains(string(b), devNullJunk) {
		t.Errorf("this process's %s holds %q", os.DevNull, b)
	}
}

func TestConcurrentUse(t *testing.T) {
	p := testPool(t)
	p.Size = 3
	p.MaxJobsPerWorker = 7
	docs := documents(t)
	type result struct {
		res *parser.Resume
		err error
	}
	want := map[string]result{}
	for name, data := range docs {
		res, err := p.Parser.ParseBytes(context.Background(), name, data)
		want[name] = result{res, err}
	}
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name, data := range docs {
				res, err := p.ParseBytes(context.Background(), name, data)
				w := want[name]
				if (err == nil) != (w.err == nil) || err != nil && err.Error() != w.err.Error() || !reflect.DeepEqual(res, w.res) {
					t.Errorf("%s: got %v, %v; want %v, %v", name, res, err, w.res, w.err)
				}
			}
			if _, err := p.ParseBytes(context.Background(), "crash.pdf", []byte("!exit3")); !errors.Is(err, parser.ErrPanic) {
				t.Errorf("got %v; want ErrPanic", err)
			}
		}()
	}
	wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.busy); n != 0 {
		t.Errorf("busy workers after all calls returned: %d", n)
	}
	if n := len(p.idle); n > p.Size {
		t.Errorf("idle workers: got %d; want at most %d", n, p.Size)
	}
}

func TestMaxJobsPerWorker(t *testing.T) {
	p := testPool(t)
	p.Size = 1
	p.MaxJobsPerWorker = 2
	var pids []int
	for i := 0; i < 5; i++ {
		pids = append(pids, workerPid(t, p))
	}
	if pids[0] != pids[1] || pids[1] == pids[2] || pids[2] != pids[3] || pids[3] == pids[4] {
		t.Errorf("worker pids: got %v; want a new worker every 2 jobs", pids)
	}
}

func TestCancel(t *testing.T) {
	p := testPool(t)
	p.Size = 1
	t.Run("while parsing", func(t *testing.T) {
		pid := workerPid(t, p)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		res, err := p.ParseBytes(ctx, "stuck.pdf", []byte("!spin"))
		if !errors.Is(err, context.Canceled) || parser.Reason(err) != "canceled" || !strings.Contains(err.Error(), "stuck.pdf") {
			t.Fatalf("got %v; want context.Canceled naming stuck.pdf", err)
		}
		if res == nil || res.Error != err.Error() {
			t.Errorf("Resume: got %#v", res)
		}
		waitGone(t, pid)
		assertWorks(t, p)
	})
	t.Run("while waiting for a worker", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		busy := make(chan error)
		go func() {
			_, err := p.ParseBytes(ctx, "stuck.pdf", []byte("!sleep"))
			busy <- err
		}()
		for len(p.slots) == 0 {
			time.Sleep(time.Millisecond)
		}
		wctx, wcancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer wcancel()
		_, err := p.ParseBytes(wctx, "waiting.txt", []byte("text"))
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "waiting.txt") {
			t.Errorf("got %v; want context.DeadlineExceeded naming waiting.txt", err)
		}
		cancel()
		if err := <-busy; !errors.Is(err, context.Canceled) {
			t.Errorf("got %v; want context.Canceled", err)
		}
		assertWorks(t, p)
	})
	t.Run("before the call", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := p.ParseBytes(ctx, "x.txt", []byte("text")); !errors.Is(err, context.Canceled) {
			t.Errorf("got %v; want context.Canceled", err)
		}
	})
}

func TestCloseWithWorkInFlight(t *testing.T) {
	p := testPool(t)
	p.Size = 2
	p.init() // before the test reads p.busy
	errs := make(chan error, 3)
	for _, doc := range []string{"!spin", "!sleep", "!sleep"} {
		go func() {
			_, err := p.ParseBytes(context.Background(), "stuck.pdf", []byte(doc))
			errs <- err
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		p.mu.Lock()
		n := len(p.busy)
		p.mu.Unlock()
		if n == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if kids := children(); len(kids) > 0 {
		t.Errorf("children after Close: %v", kids)
	}
	for i := 0; i < 3; i++ {
		if err := <-errs; !errors.Is(err, ErrClosed) || !strings.Contains(err.Error(), "stuck.pdf") {
			t.Errorf("got %v; want ErrClosed naming stuck.pdf", err)
		}
	}
	if _, err := p.ParseBytes(context.Background(), "late.txt", []byte("text")); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: got %v; want ErrClosed", err)
	}
}

func TestWorkerIgnoresSIGINT(t *testing.T) {
	p := testPool(t)
	p.Size = 1
	pid := workerPid(t, p)
	if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if got := workerPid(t, p); got != pid {
		t.Errorf("worker after SIGINT: got pid %d; want %d, still running", got, pid)
	}
}

func TestStartFailures(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		command []string
		env     string
		want    string
	}{
		{"missing", []string{filepath.Join(t.TempDir(), "no-such-sift")}, "", "no such file"},
		{"another version", []string{exe}, "badversion", "another build of sift"},
		{"other wire types", []string{exe}, "badtypes", "another build of sift"},
		{"usage", []string{exe}, "usage", "exited before its hello (exit status 2): usage: something else"},
		{"junk", []string{exe}, "junk", "not a sift parse worker"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			p := &Pool{Command: tc.command, Env: []string{testWorkerEnv + "=" + tc.env, workerEnv[1]}}
			defer p.Close()
			res, err := p.ParseBytes(context.Background(), "a.txt", []byte("text"))
			if !errors.Is(err, ErrStart) || !strings.Contains(err.Error(), tc.want) || res == nil || res.Error != err.Error() {
				t.Errorf("got %v; want ErrStart saying %q", err, tc.want)
			}
			t.Logf("%v", err)
		})
	}
}

func TestDefaultCommandRunsMain(t *testing.T) {
	// With the default command's argument, TestMain runs Main, as
	// cmd/sift does: the real parser, no test hooks.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := testPool(t)
	p.Command, p.Env = []string{exe, Arg}, workerEnv[1:]
	got, err := p.ParseBytes(context.Background(), "pid.txt", []byte("!pid"))
	want, wantErr := p.Parser.ParseBytes(context.Background(), "pid.txt", []byte("!pid"))
	sameError(t, err, wantErr)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v; want %#v", got, want)
	}
}

// orphaner is a process that starts a pool's worker on a document that
// never finishes, prints the worker's pid, and waits to be killed.
func orphaner() int {
	exe, _ := os.Executable()
	p := &Pool{Command: []string{exe}, Env: workerEnv, Timeout: time.Hour}
	p.init() // before the loop below reads p.busy
	go p.ParseBytes(context.Background(), "stuck.pdf", []byte("!spin"))
	for {
		p.mu.Lock()
		for w := range p.busy {
			fmt.Println(w.pid)
			p.mu.Unlock()
			time.Sleep(time.Hour)
		}
		p.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
}

func TestWorkerExitsWhenPoolProcessDies(t *testing.T) {
	checkLeaks(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), testWorkerEnv+"=orphaner")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var line [32]byte
	n, _ := out.Read(line[:])
	pid, err := strconv.Atoi(strings.TrimSpace(string(line[:n])))
	cmd.Process.Kill()
	cmd.Wait()
	if err != nil {
		t.Fatalf("orphaner said %q: %v", line[:n], err)
	}
	// The worker, stuck in a loop, sees its stdin close and exits.
	waitGone(t, pid)
}

func TestCodecRejectsGarbage(t *testing.T) {
	good, err := encode(nil, reply{Resume: richResume("x"), Err: encodeError(errors.New("e"))})
	if err != nil {
		t.Fatal(err)
	}
	var r reply
	if err := decode(good, &r); err != nil {
		t.Fatal(err)
	}
	for i := range good {
		var r reply
		decode(good[:i], &r) // must not panic
		b := bytes.Clone(good)
		b[i] ^= 0xff
		decode(b, &r)
	}
	huge := []byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f} // a pointer, then a 4 GiB string
	if err := decode(huge, &r); err == nil {
		t.Error("decoding a length past the input: got no error")
	}
}

func FuzzDecodeReply(f *testing.F) {
	good, _ := encode(nil, reply{Resume: richResume("x"), Err: encodeError(&parser.Error{Op: "pdf", File: "x", Err: parser.ErrMalformed})})
	f.Add(good)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var r reply
		if decode(b, &r) != nil {
			return
		}
		again, err := encode(nil, r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, b) {
			t.Errorf("re-encoding changed the bytes")
		}
	})
}

func TestFingerprintSeesFieldChanges(t *testing.T) {
	type a struct{ X, Y int }
	type b struct{ Y, X int }
	type c struct {
		X int
		Y string
	}
	if typeFingerprint(a{}) == typeFingerprint(b{}) || typeFingerprint(a{}) == typeFingerprint(c{}) {
		t.Error("fingerprints of different layouts are equal")
	}
	if typeFingerprint(job{}, reply{}) != fingerprint {
		t.Error("fingerprint is not stable")
	}
}

// The pool and the in-process parser are interchangeable for callers.
var (
	_ interface {
		ParseBytes(context.Context, string, []byte) (*parser.Resume, error)
	} = (*Pool)(nil)
	_ interface {
		ParseBytes(context.Context, string, []byte) (*parser.Resume, error)
	} = (*parser.Parser)(nil)
)

const benchResume = `Jane Doe
jane.doe@example.com | (555) 010-0000

SUMMARY
Security leader with twelve years in information security.

EXPERIENCE
Chief Information Security Officer, Acme Health, Jan 2019 - Present
Led a team of 14; owned a $3M budget; HIPAA, SOX and NYDFS programs.
Security Manager, Initech, 2014 - 2018
Incident response, SIEM, IAM, risk assessments presented to the board.

EDUCATION
B.S. Information Technology, State University, 2010

CERTIFICATIONS
CISSP, CISM, CISA
`

// BenchmarkParse compares parsing a small text resume in process and in a
// pool of one worker: the difference is the pool's overhead per document.
func BenchmarkParse(b *testing.B) {
	data := []byte(benchResume)
	ctx := context.Background()
	b.Run("in-process", func(b *testing.B) {
		p := &parser.Parser{AsOf: parser.Month{Year: 2024, Month: 6}}
		for b.Loop() {
			p.ParseBytes(ctx, "resume.txt", data)
		}
	})
	b.Run("pool", func(b *testing.B) {
		exe, _ := os.Executable()
		p := &Pool{
			Parser:  parser.Parser{AsOf: parser.Month{Year: 2024, Month: 6}},
			Size:    1,
			Command: []string{exe},
			Env:     workerEnv,
		}
		defer p.Close()
		p.ParseBytes(ctx, "resume.txt", data) // start the worker
		for b.Loop() {
			p.ParseBytes(ctx, "resume.txt", data)
		}
	})
}

func TestNameTooLong(t *testing.T) {
	p := testPool(t)
	name := strings.Repeat("n", maxJobHeader)
	res, err := p.ParseBytes(context.Background(), name, []byte("text"))
	if err == nil || !strings.Contains(err.Error(), "too long to send to a worker") || res == nil || res.File != name {
		t.Errorf("got %.80v; want an error saying the name is too long", err)
	}
	if kids := children(); len(kids) > 0 {
		t.Errorf("a worker was started: %v", kids)
	}
}

// BenchmarkRoundTrip measures the pool's overhead alone: a document the
// test worker answers without parsing.
func BenchmarkRoundTrip(b *testing.B) {
	exe, _ := os.Executable()
	p := &Pool{Size: 1, Command: []string{exe}, Env: workerEnv}
	defer p.Close()
	ctx := context.Background()
	data := []byte("!pid")
	p.ParseBytes(ctx, "pid", data) // start the worker
	for b.Loop() {
		if _, err := p.ParseBytes(ctx, "pid", data); err != nil {
			b.Fatal(err)
		}
	}
}
