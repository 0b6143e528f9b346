package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sift/parser"
	"sift/parser/worker"
)

type parseOptions struct {
	json      bool
	asOf      string
	inProcess bool
	workers   int
	text      bool
}

func (a *app) parseCommand() *cobra.Command {
	var o parseOptions
	cmd := &cobra.Command{
		Use:   "parse FILE|FOLDER...",
		Short: "Print the structured profile read from each resume",
		Long: `parse reads resumes (PDF, DOCX, plain text, Markdown; the format is
detected from content) and prints what sift understood of each: sections,
positions with dates, education, certifications, contact details, hidden
text and warnings.

Folders are walked recursively for .pdf, .docx, .txt and .md files; glob
patterns are expanded. With --json, each file gives one JSON object on its
own line. A file that cannot be read is reported and the others go on; the
exit code is then 3.`,
		Example: `  sift parse testdata/resumes/strong_cso.pdf
  sift parse --json testdata/resumes | jq .positions`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runParse(cmd.Context(), args, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.json, "json", false, "print one JSON object per file")
	f.StringVar(&o.asOf, "as-of", "", `date that "Present" means, YYYY-MM or YYYY-MM-DD (default: today)`)
	f.BoolVar(&o.inProcess, "in-process", false, "parse in this process instead of isolated worker processes (faster to start, no hard time or memory limit)")
	f.IntVar(&o.workers, "workers", 0, "documents parsed at once (default: the number of CPUs)")
	f.BoolVar(&o.text, "text", false, "also print the extracted text (summary output)")
	return cmd
}

// parseAsOf reads a --as-of value; empty means the current month.
func parseAsOf(s string, now func() time.Time) (parser.Month, error) {
	if s == "" {
		return parser.MonthOf(now()), nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01"} {
		if t, err := time.Parse(layout, s); err == nil {
			return parser.MonthOf(t), nil
		}
	}
	return parser.Month{}, usagef("--as-of %q: want YYYY-MM or YYYY-MM-DD", s)
}

func (a *app) runParse(ctx context.Context, args []string, o parseOptions) error {
	asOf, err := parseAsOf(o.asOf, time.Now)
	if err != nil {
		return err
	}
	files, err := expandPaths(args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("no resume files found in %s", strings.Join(args, " "))
	}
	workers := a.cfg.Workers
	if o.workers > 0 {
		workers = o.workers
	}
	parse, closeParser := a.newParseFunc(asOf, o.inProcess, workers)
	defer closeParser()

	failed := 0
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	var writeErr error
	forEach(ctx, len(files), workers, func(ctx context.Context, i int) *parser.Resume {
		res, _ := parseFile(ctx, parse, files[i], a.cfg.Limits.MaxBytes)
		return res
	}, func(i int, res *parser.Resume) {
		if res.Status != parser.StatusOK {
			failed++
		}
		if writeErr != nil {
			return
		}
		if o.json {
			writeErr = enc.Encode(res)
		} else {
			if i > 0 {
				fmt.Fprintln(a.stdout)
			}
			writeErr = writeSummary(a.stdout, res, o.text)
		}
	})
	if writeErr != nil {
		return writeErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if failed > 0 {
		return &exitError{code: exitPartial, err: fmt.Errorf("%d of %d files could not be read", failed, len(files))}
	}
	return nil
}

// parseFunc parses one document held in memory.
type parseFunc func(ctx context.Context, name string, data []byte) (*parser.Resume, error)

// newParseFunc returns the configured way to parse: in a pool of child
// processes, where a deadline and a memory cap are enforced by killing the
// process, unless inProcess or the configuration (isolate: false) says to
// parse in this process.
func (a *app) newParseFunc(asOf parser.Month, inProcess bool, workers int) (parseFunc, func()) {
	p := a.cfg.parser(asOf)
	if inProcess || !a.cfg.Isolate {
		return p.ParseBytes, func() {}
	}
	pool := &worker.Pool{Parser: p, Size: workers, MemoryLimit: a.cfg.Limits.MaxMemory, Stderr: a.stderr}
	return pool.ParseBytes, func() { pool.Close() }
}

// parseFile reads and parses one file. The Resume it returns is never nil
// and records any failure in its Status and Error; the error is returned too,
// for callers that branch on its kind. It reads at most maxBytes+1 bytes, so
// the parser can report a file that is too large without reading it all.
func parseFile(ctx context.Context, parse parseFunc, path string, maxBytes int64) (*parser.Resume, error) {
	f, err := os.Open(path)
	if err != nil {
		return parser.Failed(path, err), err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return parser.Failed(path, err), err
	}
	return parse(ctx, path, data)
}
