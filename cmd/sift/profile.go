package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"sift/rules"
)

// loadProfile returns the profile an argument names: a file when it looks
// like a path (it exists, or ends in .yaml, .yml, .toml or .json), else a
// built-in profile's id.
func loadProfile(arg string) (*rules.Profile, error) {
	ext := strings.ToLower(filepath.Ext(arg))
	if _, err := os.Stat(arg); err == nil || ext == ".yaml" || ext == ".yml" || ext == ".toml" || ext == ".json" {
		return rules.Load(arg)
	}
	p, err := rules.Builtin(arg)
	if errors.Is(err, rules.ErrUnknownProfile) {
		return nil, usagef("profile %q: not a file and not a built-in profile (built in: %s)", arg, strings.Join(rules.Builtins(), ", "))
	}
	return p, err
}

func (a *app) profileCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile",
		Short: "List, show and check job profiles",
		Long: `A job profile says what a role requires and how each requirement is
weighed. The Chief Security Officer profile (cso) is built in; any other
role is a YAML file away: start from "sift profile show cso > myrole.yaml".`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the built-in profiles",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, id := range rules.Builtins() {
				p, err := rules.Builtin(id)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%-8s %s (%d requirements)\n", p.ID, p.Title, len(p.Requirements))
			}
			return nil
		},
	})
	var effective bool
	show := &cobra.Command{
		Use:   "show ID|FILE",
		Short: "Print a profile to copy and edit",
		Long: `show prints a built-in profile's YAML, with the comments that explain
its schema and weights, or a profile file. With --effective it prints the
profile as sift applies it (defaults filled in, SIFT_WEIGHTS_* and
SIFT_KNOCKOUTS_* overrides applied) as JSON, with its hash.`,
		Example: "  sift profile show cso > myrole.yaml\n  SIFT_WEIGHTS_LAWS=20 sift profile show --effective cso",
		Args:    usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if effective {
				p, err := loadProfile(args[0])
				if err != nil {
					return err
				}
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					Hash      string           `json:"hash"`
					Overrides []rules.Override `json:"overrides"`
					*rules.Profile
				}{p.Hash(), p.Overrides, p})
			}
			src, err := rules.BuiltinSource(args[0])
			if errors.Is(err, rules.ErrUnknownProfile) {
				if src, err = os.ReadFile(args[0]); err != nil {
					return usagef("profile %q: not a built-in profile (built in: %s) and not a readable file", args[0], strings.Join(rules.Builtins(), ", "))
				}
			}
			_, err = a.stdout.Write(src)
			return err
		},
	}
	show.Flags().BoolVar(&effective, "effective", false, "print the profile as applied, with defaults and overrides, as JSON")
	cmd.AddCommand(show)
	cmd.AddCommand(&cobra.Command{
		Use:   "check FILE...",
		Short: "Validate profile files",
		Long: `check loads each profile file and reports every problem with its key
path and, for YAML, its line. The exit code is 1 when any file is invalid.`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, f := range args {
				p, err := rules.Load(f)
				if err != nil {
					bad++
					fmt.Fprintf(a.stdout, "%s: invalid\n", f)
					for _, line := range strings.Split(err.Error(), "\n") {
						fmt.Fprintf(a.stdout, "  %s\n", line)
					}
					continue
				}
				fmt.Fprintf(a.stdout, "%s: ok: profile %s (%s), %d requirements, hash %s\n", f, p.ID, p.Title, len(p.Requirements), p.Hash()[:12])
			}
			if bad > 0 {
				return &exitError{code: exitFailed, err: fmt.Errorf("%d of %d profiles invalid", bad, len(args))}
			}
			return nil
		},
	})
	return cmd
}
