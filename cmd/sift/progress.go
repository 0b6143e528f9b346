package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress draws a one-line progress bar on a terminal. It draws nothing
// when the stream is not a terminal (output piped or redirected) or when CI
// is set, so logs stay clean.
type progress struct {
	w       io.Writer
	label   string
	total   int
	enabled bool

	mu    sync.Mutex
	done  int
	start time.Time
	last  time.Time
	now   func() time.Time
}

// newProgress returns a progress bar for total items on w.
func newProgress(w io.Writer, label string, total int) *progress {
	p := &progress{w: w, label: label, total: total, now: time.Now}
	p.start = p.now()
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) && os.Getenv("CI") == "" {
		p.enabled = true
	}
	return p
}

// Add records n finished items and redraws at most ten times a second.
func (p *progress) Add(n int) {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if now := p.now(); now.Sub(p.last) >= 100*time.Millisecond || p.done == p.total {
		p.last = now
		p.draw(now)
	}
}

func (p *progress) draw(now time.Time) {
	const width = 30
	filled := 0
	if p.total > 0 {
		filled = width * p.done / p.total
	}
	rate := float64(p.done) / max(now.Sub(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d  %.1f/s ", p.label, strings.Repeat("=", filled), strings.Repeat(" ", width-filled), p.done, p.total, rate)
}

// Finish clears the bar's line.
func (p *progress) Finish() {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 80))
}
