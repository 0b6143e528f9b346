package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sift/internal/report"
	"sift/parser"
	"sift/rules"
)

func (a *app) explainCommand() *cobra.Command {
	var o scoreOptions
	cmd := &cobra.Command{
		Use:   "explain FILE",
		Short: "Show one candidate's full breakdown with evidence",
		Long: `explain scores one resume against a job profile and prints every
requirement: its status (met, partial, missing), the points it earned of
its weight, how the credit was reached, the evidence in the resume (the
matched words in their context, with the section they are in), and, when
it is not fully met, what would change it.`,
		Example: `  sift explain testdata/resumes/cso_near_miss.pdf
  sift explain --format html --out candidate.html resume.pdf`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runExplain(cmd.Context(), args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.profile, "profile", "p", "cso", "job profile: a built-in id or a profile file")
	f.StringVar(&o.asOf, "as-of", "", `date that "Present" means, YYYY-MM or YYYY-MM-DD (default: today)`)
	f.StringVarP(&o.format, "format", "f", "text", "output format: text, json or html")
	f.StringVarP(&o.out, "out", "o", "", "write the output to this file instead of standard output")
	f.BoolVar(&o.inProcess, "in-process", false, "parse in this process instead of an isolated worker process")
	return cmd
}

func (a *app) runExplain(ctx context.Context, file string, o scoreOptions) error {
	if o.format != "text" && o.format != "json" && o.format != "html" {
		return usagef("--format %q: want text, json or html", o.format)
	}
	asOf, err := parseAsOf(o.asOf, time.Now)
	if err != nil {
		return err
	}
	profile, err := loadProfile(o.profile)
	if err != nil {
		return err
	}
	files, err := expandPaths([]string{file})
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usagef("explain takes one resume file; %s names %d", file, len(files))
	}
	run, err := a.scoreFiles(ctx, files, profile, asOf, o.inProcess, 1, 0)
	if err != nil {
		return err
	}
	if len(run.failures) > 0 {
		f := run.failures[0]
		return &exitError{code: exitPartial, err: fmt.Errorf("%s", f.Error)}
	}
	res := run.results[0]
	return a.writeOutput(o.out, func(w io.Writer) error {
		switch o.format {
		case "json":
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			return enc.Encode(res)
		case "html":
			return report.HTML(w, &report.Report{Profile: profileInfo(profile), AsOf: asOf.String(), Version: version, Candidates: []rules.Result{res}, Total: 1})
		}
		return writeExplanation(w, res, profile, asOf)
	})
}

// writeExplanation prints one result for a person to read.
func writeExplanation(w io.Writer, r rules.Result, p *rules.Profile, asOf parser.Month) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", r.File)
	fmt.Fprintf(&b, "Profile %s: %s (%s), as of %s, sift %s\n\n", p.ID, p.Title, short(r.Profile.Hash), asOf, r.Version)
	qual := "qualified"
	if !r.Qualified {
		qual = "NOT QUALIFIED (knockout failed: " + strings.Join(r.KnockoutsFailed, ", ") + ")"
	}
	fmt.Fprintf(&b, "Score %.1f of 100 · %s · tier %s\n", r.Score, qual, r.Tier)
	for _, o := range r.Requirements {
		status := o.Status
		if o.Status == rules.StatusPartial {
			status = fmt.Sprintf("partial %.0f%%", 100*o.Credit)
		}
		knock := ""
		switch {
		case o.Failed:
			knock = "  KNOCKOUT FAILED"
		case o.Knockout:
			knock = "  (knockout)"
		}
		fmt.Fprintf(&b, "\n[%s] %s\n", status, oneLine(o.Requirement))
		fmt.Fprintf(&b, "    %s · %.1f of %g points%s\n", o.ID, o.Points, o.Weight, knock)
		if o.Detail != "" {
			fmt.Fprintf(&b, "    %s\n", o.Detail)
		}
		for _, e := range o.Evidence {
			ctx := strings.Replace(e.Context, e.Text, "»"+e.Text+"«", 1)
			sec := ""
			if e.Section != "" {
				sec = " (" + e.Section + ")"
			}
			fmt.Fprintf(&b, "    evidence: %s%s\n", oneLine(ctx), sec)
		}
		if o.Gap != "" {
			fmt.Fprintf(&b, "    gap: %s\n", o.Gap)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}
