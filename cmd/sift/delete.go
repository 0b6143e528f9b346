package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"sift/scoring"
)

func (a *app) deleteCommand() *cobra.Command {
	var (
		profiles []string
		external bool
	)
	cmd := &cobra.Command{
		Use:   "delete ID...",
		Short: "Erase candidates from the store",
		Long: `delete removes candidates completely: their parsed profile, their results,
their index entries and every mapping to them. This is how a data-erasure
request is honoured: when delete returns, nothing of the candidate is left in
the data directory (the index segments that held them are merged away).

IDs are candidate ids, or with --external the ids an ATS gave (or the paths
sift index stored files under).`,
		Example: "  sift delete 3f9a1c0e2b7d4e68\n  sift delete --external ats-4411",
		Args:    usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			ps, err := a.loadProfiles(profiles)
			if err != nil {
				return err
			}
			st, err := a.openStore(ps, zeroTime)
			if err != nil {
				return err
			}
			defer st.Close()
			missing := 0
			for _, id := range args {
				if external {
					found, err := st.Lookup(id)
					if err != nil {
						fmt.Fprintf(a.stderr, "sift: %s: no candidate has this external id\n", id)
						missing++
						continue
					}
					id = found
				}
				switch err := st.Delete(cmd.Context(), id); {
				case errors.Is(err, scoring.ErrNotFound):
					fmt.Fprintf(a.stderr, "sift: %s: no such candidate\n", id)
					missing++
				case err != nil:
					return err
				default:
					fmt.Fprintf(a.stdout, "deleted %s\n", id)
				}
			}
			if missing > 0 {
				return &exitError{code: exitFailed, err: fmt.Errorf("%d of %d candidates not found", missing, len(args))}
			}
			return nil
		},
	}
	storeFlags(cmd, &profiles)
	cmd.Flags().BoolVar(&external, "external", false, "the arguments are external ids (an ATS's ids, or indexed file paths)")
	return cmd
}
