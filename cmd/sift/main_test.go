package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"sift/parser/worker"
)

// TestMain lets the test binary serve as sift's parse worker, so the tests
// run the pool of worker processes as the real program does.
func TestMain(m *testing.M) {
	if worker.IsWorker() {
		os.Exit(worker.Main())
	}
	// SIFT_TEST_MAIN makes the test binary behave as sift itself, for tests
	// that need a real process to kill.
	if os.Getenv("SIFT_TEST_MAIN") != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

const sampleDir = "../../testdata/resumes"

// run runs sift with args and returns its exit code, standard output and
// standard error.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestParseJSON(t *testing.T) {
	code, out, _ := run(t, "parse", "--json", "--as-of", "2026-11", filepath.Join(sampleDir, "cso_strong.pdf"), filepath.Join(sampleDir, "scanned.pdf"))
	if code != exitPartial {
		t.Errorf("exit code %d; want %d (one file has no text)", code, exitPartial)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d JSON lines; want 2:\n%s", len(lines), out)
	}
	var first, second map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(lines[1]), &second)
	for _, key := range []string{"file", "format", "pages", "status", "error", "warnings", "text", "hidden_text", "contact",
		"sections", "positions", "education", "certifications", "experience_months"} {
		if _, ok := first[key]; !ok {
			t.Errorf("parse --json lacks key %q", key)
		}
	}
	if first["status"] != "ok" || second["status"] != "no_text" {
		t.Errorf("statuses %v, %v; want ok, no_text", first["status"], second["status"])
	}
	pos := first["positions"].([]any)[0].(map[string]any)
	if pos["start"] != "2019-01" || pos["end"] != nil || pos["current"] != true || pos["months"] != 95.0 {
		t.Errorf("first position = %v; want start 2019-01, end null, current, 95 months", pos)
	}
}

func TestParseSummary(t *testing.T) {
	code, out, _ := run(t, "parse", "--in-process", "--as-of", "2026-11", filepath.Join(sampleDir, "keyword_stuffed.pdf"))
	if code != exitOK {
		t.Errorf("exit code %d; want 0", code)
	}
	for _, want := range []string{"pdf, 1 page, ok", "IT Support Specialist", "hidden text:", "not matched"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestScoreTable(t *testing.T) {
	code, out, stderr := run(t, "score", "--as-of", "2026-11", sampleDir)
	if code != exitPartial {
		t.Errorf("exit code %d; want %d (scanned.pdf has no text); stderr %s", code, exitPartial, stderr)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "RANK") || !strings.Contains(lines[1], "cso_strong") {
		t.Errorf("first rows:\n%s\n%s\nwant the header and a cso_strong file first", lines[0], lines[1])
	}
	for _, want := range []string{"Could not score 1 file", "scanned.pdf", "no text found", "Profile cso (Chief Security Officer"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// The stuffed resume's hidden keywords must not lift it.
	if i, j := strings.Index(out, "keyword_stuffed"), strings.Index(out, "it_director"); i < j {
		t.Errorf("keyword_stuffed.pdf ranks above it_director.txt:\n%s", out)
	}
}

// TestScoreDeterministic: the same files give the same output whatever the
// number of workers and whether parsing is isolated.
func TestScoreDeterministic(t *testing.T) {
	var outs []string
	for _, args := range [][]string{
		{"--workers", "1", "--in-process"},
		{"--workers", "4", "--in-process"},
		{"--workers", "2"},
	} {
		code, out, _ := run(t, append([]string{"score", "--as-of", "2026-11", "--format", "jsonl"}, append(args, sampleDir)...)...)
		if code != exitPartial {
			t.Fatalf("%v: exit code %d; want %d", args, code, exitPartial)
		}
		outs = append(outs, out)
	}
	for i := 1; i < len(outs); i++ {
		if outs[i] != outs[0] {
			t.Errorf("run %d differs from run 0", i)
		}
	}
}

func TestScoreFormats(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []string{"csv", "json", "html"} {
		out := filepath.Join(dir, "report."+format)
		code, _, stderr := run(t, "score", "--in-process", "--as-of", "2026-11", "--top", "3", "--format", format, "--out", out, sampleDir)
		if code != exitPartial {
			t.Errorf("%s: exit code %d; want %d: %s", format, code, exitPartial, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		switch format {
		case "csv":
			rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil || len(rows) != 1+3+1 { // header, top 3, one failure
				t.Errorf("csv: %d rows, %v; want 5", len(rows), err)
			}
		case "json":
			var doc struct {
				Total      int
				Candidates []map[string]any
				Failures   []map[string]any
			}
			if err := json.Unmarshal(data, &doc); err != nil || len(doc.Candidates) != 3 || doc.Total != 9 || len(doc.Failures) != 1 {
				t.Errorf("json: %d candidates of %d, %d failures, %v; want 3 of 9, 1", len(doc.Candidates), doc.Total, len(doc.Failures), err)
			}
		case "html":
			if !bytes.Contains(data, []byte("<mark>")) || !bytes.Contains(data, []byte("3 of 9 candidates shown")) {
				t.Errorf("html lacks highlighted evidence or the count")
			}
		}
	}
}

func TestExplain(t *testing.T) {
	code, out, _ := run(t, "explain", "--in-process", "--as-of", "2026-11", filepath.Join(sampleDir, "cso_near_miss.pdf"))
	if code != exitOK {
		t.Errorf("exit code %d; want 0", code)
	}
	for _, want := range []string{"NOT QUALIFIED (knockout failed: security_experience)", "needs 14 more months", "evidence: ", "»"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"score", "--format", "xml", sampleDir}, exitUsage, "--format"},
		{[]string{"score", "--profile", "nope", sampleDir}, exitUsage, "not a file and not a built-in profile"},
		{[]string{"score", "--as-of", "November", sampleDir}, exitUsage, "--as-of"},
		{[]string{"score", "does/not/exist"}, exitUsage, "no such file"},
		{[]string{"parse"}, exitUsage, "requires at least 1 arg"},
		{[]string{"bogus"}, exitUsage, "unknown command"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("sift %v: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

func TestProfileCommands(t *testing.T) {
	code, yaml, _ := run(t, "profile", "show", "cso")
	if code != exitOK || !strings.Contains(yaml, "id: cso") {
		t.Fatalf("profile show cso: exit %d; want 0 and the YAML", code)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "copy.yaml")
	os.WriteFile(good, []byte(yaml), 0o644)
	if code, out, _ := run(t, "profile", "check", good); code != exitOK || !strings.Contains(out, "ok: profile cso") {
		t.Errorf("profile check of the shown profile: exit %d, %q; want ok", code, out)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(strings.Replace(yaml, "weight: 20", "weight: -20", 1)), 0o644)
	if code, out, _ := run(t, "profile", "check", bad); code != exitFailed || !strings.Contains(out, "weight (line") {
		t.Errorf("profile check of a bad profile: exit %d, %q; want 1 and the key with its line", code, out)
	}
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sift.yaml")
	os.WriteFile(cfg, []byte("workers: 2\nlimits:\n  max_pages: 1\n"), 0o644)
	// A one-page limit makes the two-page sample too large.
	code, out, _ := run(t, "--config", cfg, "parse", "--json", "--in-process", filepath.Join(sampleDir, "cso_strong.pdf"))
	if code != exitPartial || !strings.Contains(out, "document exceeds a limit") {
		t.Errorf("max_pages 1: exit %d, %s; want 3 and a too-large error", code, out)
	}
	os.WriteFile(cfg, []byte("wokers: 2\n"), 0o644)
	if code, _, stderr := run(t, "--config", cfg, "parse", filepath.Join(sampleDir, "cso_strong.pdf")); code != exitUsage || !strings.Contains(stderr, "wokers") {
		t.Errorf("unknown key: exit %d, %q; want 2 naming the key", code, stderr)
	}
	t.Setenv("SIFT_WORKERS", "0")
	if code, _, stderr := run(t, "parse", filepath.Join(sampleDir, "cso_strong.pdf")); code != exitUsage || !strings.Contains(stderr, "workers") {
		t.Errorf("SIFT_WORKERS=0: exit %d, %q; want 2 naming workers", code, stderr)
	}
}

// TestOutToDevice: --out on something that is not a regular file writes to
// it rather than renaming a file over it. Renaming over /dev/null as root
// once replaced the device with a regular file, and every later write to
// /dev/null on the machine landed in it.
func TestOutToDevice(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	code, _, stderr := run(t, "score", "--in-process", "--as-of", "2026-11", "--format", "csv", "--out", fifo, filepath.Join(sampleDir, "cso_strong.pdf"))
	out := <-got
	if code != exitOK || !bytes.Contains(out, []byte("cso_strong.pdf")) {
		t.Errorf("score --out FIFO: exit %d (%s), read %q; want the CSV through the FIFO", code, stderr, out)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("after score --out, %s is %v (%v); want it still a named pipe", fifo, fi.Mode(), err)
	}
	dest := filepath.Join(dir, "report.csv")
	if code, _, _ := run(t, "score", "--in-process", "--format", "csv", "--out", dest, filepath.Join(sampleDir, "cso_strong.pdf")); code != exitOK {
		t.Fatalf("score --out FILE: exit %d", code)
	}
	if fi, err := os.Stat(dest); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("report.csv: %v, %v; want a regular file", fi, err)
	}
}
