package main

import (
	"io"
	"os"
	"runtime/pprof"

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
	cpuProfile     string
	cfg            config
	stopProfile    func()
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
		Version: version,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q", args[0])
			}
			return nil
		},
		RunE:          func(cmd *cobra.Command, args []string) error { return cmd.Help() },
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := a.startProfile(); err != nil {
				return err
			}
			return a.loadConfig(cmd)
		},
		PersistentPostRun: func(cmd *cobra.Command, args []string) { a.finishProfile() },
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&a.configFile, "config", "", "config file (YAML, TOML or JSON); default ./sift.yaml when present")
	root.PersistentFlags().StringVar(&a.cpuProfile, "cpuprofile", "", "write a CPU profile of this process to `file` (for go tool pprof)")
	root.PersistentFlags().MarkHidden("cpuprofile")
	root.AddCommand(a.parseCommand(), a.scoreCommand(), a.explainCommand(), a.profileCommand(),
		a.indexCommand(), a.rescoreCommand(), a.deleteCommand(), a.shortlistCommand(),
		a.serveCommand(), a.keyCommand())
	return root
}

// startProfile starts the CPU profile --cpuprofile asks for.
func (a *app) startProfile() error {
	if a.cpuProfile == "" {
		return nil
	}
	f, err := os.Create(a.cpuProfile)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	a.stopProfile = func() {
		pprof.StopCPUProfile()
		f.Close()
	}
	return nil
}

// finishProfile stops the CPU profile, if one runs.
func (a *app) finishProfile() {
	if a.stopProfile != nil {
		a.stopProfile()
		a.stopProfile = nil
	}
}
