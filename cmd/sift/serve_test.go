package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"sift/internal/samples"
	"sift/server"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var servingRE = regexp.MustCompile(`serving on (http://[0-9.:]+)`)

// serveConfig writes a config file for a server on a free loopback port
// with one admin key, and returns its path and the key's secret.
func serveConfig(t *testing.T, data string) (string, string) {
	t.Helper()
	secret := "sift_test_secret_for_e2e"
	cfg := filepath.Join(t.TempDir(), "sift.yaml")
	body := fmt.Sprintf("data_dir: %s\nserver:\n  listen: 127.0.0.1:0\n  shutdown_wait: 5s\n  keys:\n    - id: e2e\n      hash: %s\n      scopes: [admin]\n", data, server.HashKey(secret))
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg, secret
}

// startServe runs "sift serve" with Main in this process and returns its
// base URL and a function that stops it (as SIGTERM does) and returns its
// exit code.
func startServe(t *testing.T, cfg string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"--config", cfg, "serve"}, strings.NewReader(""), io.Discard, &stderr)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := servingRE.FindStringSubmatch(stderr.String()); m != nil {
			return m[1], func() int { cancel(); return <-done }
		}
		select {
		case code := <-done:
			t.Fatalf("sift serve exited with %d: %s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("sift serve did not start: %s", stderr.String())
	return "", nil
}

type client struct {
	base, secret string
}

func (c client) do(t *testing.T, method, path string, body []byte) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+c.secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestServeEndToEnd starts the real "sift serve" on a free loopback port,
// pushes resumes, queries the shortlist, deletes one, restarts the server
// and finds the data as it was left.
func TestServeEndToEnd(t *testing.T) {
	data := t.TempDir()
	cfg, secret := serveConfig(t, data)
	base, stop := startServe(t, cfg)
	c := client{base, secret}

	ids := map[string]string{}
	for _, name := range []string{"cso_strong.pdf", "cso_near_miss.pdf", "pastry_chef.md"} {
		body, _ := os.ReadFile(filepath.Join(sampleDir, name))
		code, out := c.do(t, "POST", "/v1/candidates?external_id="+name, body)
		if code != http.StatusCreated {
			t.Fatalf("POST %s: %d %v", name, code, out)
		}
		ids[name] = out["id"].(string)
	}
	code, out := c.do(t, "GET", "/v1/profiles/cso/shortlist?top=10&q=CISSP", nil)
	if code != http.StatusOK {
		t.Fatalf("shortlist: %d %v", code, out)
	}
	first := out["candidates"].([]any)[0].(map[string]any)
	if first["id"] != ids["cso_strong.pdf"] {
		t.Errorf("shortlist first = %v; want %s (cso_strong.pdf)", first["id"], ids["cso_strong.pdf"])
	}
	if code, _ := c.do(t, "DELETE", "/v1/candidates/"+ids["pastry_chef.md"], nil); code != http.StatusNoContent {
		t.Errorf("DELETE: %d; want 204", code)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("serve exited with %d after SIGTERM; want 0", code)
	}

	base, stop = startServe(t, cfg)
	defer stop()
	c = client{base, secret}
	for name, id := range ids {
		code, _ := c.do(t, "GET", "/v1/candidates/"+id, nil)
		want := http.StatusOK
		if name == "pastry_chef.md" {
			want = http.StatusNotFound
		}
		if code != want {
			t.Errorf("after restart, GET %s (%s): %d; want %d", id, name, code, want)
		}
	}
	code, out = c.do(t, "GET", "/v1/profiles/cso/shortlist?top=10", nil)
	if code != http.StatusOK || out["total"] != 2.0 {
		t.Errorf("after restart, shortlist total = %v (%d); want 2", out["total"], code)
	}
}

// TestServeCrashSafety kills a real sift server process with SIGKILL during
// a burst of uploads, restarts it, and checks that the store opens, every
// acknowledged candidate is there, and sending them again changes nothing.
func TestServeCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server processes")
	}
	data := t.TempDir()
	cfg, secret := serveConfig(t, data)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	start := func() (*exec.Cmd, string) {
		cmd := exec.Command(exe, "--config", cfg, "serve", "--in-process")
		cmd.Env = append(os.Environ(), "SIFT_TEST_MAIN=1")
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				go io.Copy(io.Discard, stderr)
				return cmd, m[1]
			}
		}
		t.Fatalf("server did not start")
		return nil, ""
	}
	cmd, base := start()
	c := client{base, secret}

	type acked struct{ key, id string }
	var (
		mu   sync.Mutex
		acks []acked
		wg   sync.WaitGroup
	)
	bodies := make([][]byte, 60)
	for i := range bodies {
		bodies[i] = samples.RenderText(samples.Random(7, i))
	}
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(bodies); i += 4 {
				key := fmt.Sprintf("burst-%d", i)
				req, _ := http.NewRequest("POST", base+"/v1/candidates?external_id="+key, bytes.NewReader(bodies[i]))
				req.Header.Set("Authorization", "Bearer "+secret)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return // the server was killed
				}
				var out map[string]any
				json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					// A 201 is sent only once the candidate is durable,
					// but the kill may cut its body short: then the id is
					// not known, and re-sending must find the candidate.
					id, _ := out["id"].(string)
					mu.Lock()
					acks = append(acks, acked{key, id})
					mu.Unlock()
				}
			}
		}(w)
	}
	// Kill the server mid-burst.
	for {
		mu.Lock()
		n := len(acks)
		mu.Unlock()
		if n >= 15 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	wg.Wait()
	t.Logf("%d uploads acknowledged before SIGKILL", len(acks))

	cmd, base = start()
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	c = client{base, secret}
	for _, a := range acks {
		if a.id == "" {
			continue // checked by re-sending, below
		}
		if code, out := c.do(t, "GET", "/v1/candidates/"+a.id, nil); code != http.StatusOK || out["external_id"] != a.key {
			t.Errorf("acknowledged %s (%s) after restart: %d %v; want 200", a.key, a.id, code, out["external_id"])
		}
	}
	for _, a := range acks {
		var i int
		fmt.Sscanf(a.key, "burst-%d", &i)
		code, out := c.do(t, "POST", "/v1/candidates?external_id="+a.key, bodies[i])
		if code != http.StatusOK || a.id != "" && out["id"] != a.id {
			t.Errorf("re-sending %s: %d, id %v; want 200 and the same id %s", a.key, code, out["id"], a.id)
		}
	}
}
