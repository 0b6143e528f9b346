package main

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sift/internal/report"
	"sift/parser"
	"sift/rules"
	"sift/scoring"
)

func (a *app) shortlistCommand() *cobra.Command {
	var (
		profiles []string
		q        scoring.ShortlistQuery
		format   string
		out      string
	)
	cmd := &cobra.Command{
		Use:   "shortlist [QUERY]",
		Short: "Query the candidate store for the best candidates",
		Long: `shortlist ranks the stored candidates for a profile (the first --profile,
default cso), best first, with the evidence for each requirement.

QUERY is a bleve query string over the resume text: any of the words
matches, +word requires one, -word excludes one, "quoted phrases" match as
phrases, and fields can be named (certifications:cissp, titles:director,
experience_months:>=60). --where is a CEL filter over the structured facts,
with the functions the profiles use (months("security_management"),
certifications, degree_level, experience_months, ...) and the candidate's
score, qualified and tier.`,
		Example: `  sift shortlist --top 10 --min-score 60 --qualified "CISSP HIPAA"
  sift shortlist --where 'months("security_management") >= 60' --format html --out shortlist.html`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !validFormat(format) {
				return usagef("--format %q: want one of %s", format, strings.Join(report.Formats, ", "))
			}
			if len(args) == 1 {
				q.Text = args[0]
			}
			ps, err := a.loadProfiles(profiles)
			if err != nil {
				return err
			}
			st, err := a.openStore(ps, zeroTime)
			if err != nil {
				return err
			}
			defer st.Close()
			profile := ps[0] // rank for the first profile named
			q.Profile = profile.ID
			res, err := st.Shortlist(cmd.Context(), q)
			if errors.Is(err, scoring.ErrInvalidQuery) || errors.Is(err, rules.ErrInvalidFilter) {
				return usageError{err}
			}
			if err != nil {
				return err
			}
			rep := &report.Report{Profile: profileInfo(profile), AsOf: parser.MonthOf(time.Now()).String(), Version: version, Total: res.Total}
			for _, e := range res.Entries {
				r := e.Result
				r.Candidate = e.ID
				if r.File == "" {
					r.File = e.File
				}
				rep.Candidates = append(rep.Candidates, r)
			}
			return a.writeOutput(out, func(w io.Writer) error { return report.Write(w, format, rep) })
		},
	}
	storeFlags(cmd, &profiles)
	f := cmd.Flags()
	f.IntVar(&q.Top, "top", scoring.DefaultTop, "how many candidates to show")
	f.Float64Var(&q.MinScore, "min-score", 0, "only candidates scoring at least this")
	f.BoolVar(&q.Qualified, "qualified", false, "only candidates who failed no knockout")
	f.StringVar(&q.Where, "where", "", "a CEL filter over the structured facts")
	f.StringVarP(&format, "format", "f", "table", "output format: "+strings.Join(report.Formats, ", "))
	f.StringVarP(&out, "out", "o", "", "write the output to this file instead of standard output")
	return cmd
}

// zeroTime is the store's clock when no --as-of is given: today.
var zeroTime time.Time
