package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sift/rules"
	"sift/scoring"
)

// storeFlags are the flags of the commands that use the candidate store.
func storeFlags(cmd *cobra.Command, profiles *[]string) {
	cmd.Flags().String("data-dir", "", "the candidate store's folder (default ./sift-data; SIFT_DATA_DIR)")
	cmd.Flags().StringSliceVarP(profiles, "profile", "p", nil, "profiles to score against, built-in ids or files (repeatable; default: the config's profiles, else cso)")
}

// loadProfiles loads the profiles named on the command line, or else in
// the configuration.
func (a *app) loadProfiles(names []string) ([]*rules.Profile, error) {
	if len(names) == 0 {
		names = a.cfg.Profiles
	}
	var ps []*rules.Profile
	seen := map[string]string{}
	for _, n := range names {
		p, err := loadProfile(n)
		if err != nil {
			return nil, err
		}
		if prev, ok := seen[p.ID]; ok {
			return nil, usagef("profiles %s and %s have the same id %q", prev, n, p.ID)
		}
		seen[p.ID] = n
		ps = append(ps, p)
	}
	return ps, nil
}

// profileIDs lists profiles' ids for messages.
func profileIDs(ps []*rules.Profile) string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return strings.Join(ids, ", ")
}

// openStore opens the data directory with the given profiles; asOf, when
// not zero, is the date "Present" means for new results.
func (a *app) openStore(profiles []*rules.Profile, asOf time.Time) (*scoring.Store, error) {
	now := time.Now
	if !asOf.IsZero() {
		now = func() time.Time { return asOf }
	}
	if err := os.MkdirAll(a.cfg.DataDir, 0o755); err != nil {
		return nil, err
	}
	st, err := scoring.OpenStore(a.cfg.DataDir, scoring.StoreOptions{
		Profiles: profiles,
		Version:  version,
		Now:      now,
		Logger:   slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		return nil, fmt.Errorf("opening the store in %s: %w", a.cfg.DataDir, err)
	}
	return st, nil
}
