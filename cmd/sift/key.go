package main

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"sift/server"
)

var keyIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)

func (a *app) keyCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "key", Short: "Create API keys for the server"}
	var (
		id     string
		scopes []string
	)
	newCmd := &cobra.Command{
		Use:   "new",
		Short: "Create an API key",
		Long: `key new creates a random API key. It prints the secret once, for the
client (an ATS sends it as "Authorization: Bearer SECRET"; a hiring manager
signs in to /ui/ with it), and the lines to add to the config file, which
hold only the key's sha256: sift never stores the secret.

Scopes: read (results, shortlists, pages), write (push and score resumes),
admin (delete candidates, metrics); admin implies write, write implies read.`,
		Example: "  sift key new --id ats --scopes write\n  sift key new --id hiring-team --scopes read",
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !keyIDPattern.MatchString(id) {
				return usagef("--id %q: want lower-case letters, digits, '.', '_' and '-', such as ats or hiring-team", id)
			}
			for _, s := range scopes {
				if s != server.ScopeRead && s != server.ScopeWrite && s != server.ScopeAdmin {
					return usagef("--scopes: unknown scope %q; want read, write or admin", s)
				}
			}
			b := make([]byte, 32)
			if _, err := rand.Read(b); err != nil {
				return err
			}
			secret := "sift_" + base64.RawURLEncoding.EncodeToString(b)
			fmt.Fprintf(a.stdout, "secret (shown once; give it to the client): %s\n\n", secret)
			fmt.Fprintf(a.stdout, "add to the config file (sift.yaml):\nserver:\n  keys:\n    - id: %s\n      hash: %s\n      scopes: [%s]\n",
				id, server.HashKey(secret), strings.Join(scopes, ", "))
			return nil
		},
	}
	newCmd.Flags().StringVar(&id, "id", "", "a name for the key, shown in logs and metrics (required)")
	newCmd.Flags().StringSliceVar(&scopes, "scopes", []string{server.ScopeRead}, "scopes: read, write, admin")
	cmd.AddCommand(newCmd)
	return cmd
}
