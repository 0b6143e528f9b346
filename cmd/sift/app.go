package main

import (
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"
)

// version is sift's version, recorded in every result. Release builds set it
// with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// app holds what every command shares: the streams and the configuration.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	v              *viper.Viper
	configFile     string
	cfg            config
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{stdin: stdin, stdout: stdout, stderr: stderr, v: viper.New()}
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "sift",
		Short: "Screen and rank job applicants",
		Long: `sift parses resumes (PDF, DOCX, plain text, Markdown) into structured
profiles, scores them against a job profile with a reason for every point,
and serves shortlists to hiring managers and applicant tracking systems.

Settings come from flags, SIFT_* environment variables (SIFT_WORKERS,
SIFT_LIMITS_MAX_PAGES, ...) and a config file (--config, or ./sift.yaml when
present), in that order of precedence.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return a.loadConfig(cmd)
		},
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&a.configFile, "config", "", "config file (YAML, TOML or JSON); default ./sift.yaml when present")
	root.AddCommand(a.parseCommand(), a.scoreCommand(), a.explainCommand(), a.profileCommand())
	return root
}
