package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) rescoreCommand() *cobra.Command {
	var (
		profiles []string
		asOf     string
	)
	cmd := &cobra.Command{
		Use:   "rescore",
		Short: "Recompute stored results after a profile or the month changed",
		Long: `rescore recomputes the results of every stored candidate whose profile
changed (its hash differs: a weight, a term, an override) or whose as-of month
has passed, from the stored parsed resumes, without parsing again. Results of
profiles that are not loaded are kept.`,
		Example: "  SIFT_WEIGHTS_LAWS=20 sift rescore\n  sift rescore --profile cso --profile myrole.yaml",
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			at, err := asOfTime(asOf)
			if err != nil {
				return err
			}
			ps, err := a.loadProfiles(profiles)
			if err != nil {
				return err
			}
			st, err := a.openStore(ps, at)
			if err != nil {
				return err
			}
			defer st.Close()
			stale := st.Stale()
			bar := newProgress(a.stderr, "rescoring", stale)
			last := 0
			n, err := st.Rescore(cmd.Context(), func(done, total int) {
				bar.Add(done - last)
				last = done
			})
			bar.Finish()
			fmt.Fprintf(a.stdout, "%d of %d candidates rescored\n", n, st.Len())
			return err
		},
	}
	storeFlags(cmd, &profiles)
	cmd.Flags().StringVar(&asOf, "as-of", "", `date that "Present" means, YYYY-MM or YYYY-MM-DD (default: today)`)
	return cmd
}
