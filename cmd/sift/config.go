package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"sift/parser"
)

// config is sift's configuration after flags, environment and file are
// merged. Keys in files and SIFT_* variables follow the mapstructure tags
// (limits.max_pages is SIFT_LIMITS_MAX_PAGES).
type config struct {
	Workers  int          `mapstructure:"workers"`  // documents parsed at once; default the number of CPUs
	Isolate  bool         `mapstructure:"isolate"`  // parse in child processes that can be killed; default true
	DataDir  string       `mapstructure:"data_dir"` // the candidate store; default ./sift-data
	Profiles []string     `mapstructure:"profiles"` // profiles the store scores against: built-in ids or files; default [cso]
	Limits   limitsConfig `mapstructure:"limits"`
	Server   serverConfig `mapstructure:"server"`
}

type limitsConfig struct {
	MaxBytes        int64         `mapstructure:"max_bytes"`
	MaxPages        int           `mapstructure:"max_pages"`
	MaxDecompressed int64         `mapstructure:"max_decompressed"`
	Timeout         time.Duration `mapstructure:"timeout"`
	MaxMemory       int64         `mapstructure:"max_memory"` // per parsing process, when isolated
}

func setDefaults(v *viper.Viper) {
	v.SetDefault("workers", runtime.NumCPU())
	v.SetDefault("isolate", true)
	v.SetDefault("limits.max_bytes", parser.DefaultMaxBytes)
	v.SetDefault("limits.max_pages", parser.DefaultMaxPages)
	v.SetDefault("limits.max_decompressed", parser.DefaultMaxDecompressed)
	v.SetDefault("limits.timeout", parser.DefaultTimeout)
	v.SetDefault("limits.max_memory", 1<<30)
	v.SetDefault("data_dir", "sift-data")
	v.SetDefault("profiles", []string{"cso"})
	setServerDefaults(v)
}

// flagKeys binds command flags to config keys.
var flagKeys = map[string]string{
	"workers":  "workers",
	"data-dir": "data_dir",
	"listen":   "server.listen",
}

func (a *app) loadConfig(cmd *cobra.Command) error {
	v := a.v
	setDefaults(v)
	v.SetEnvPrefix("SIFT")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if key, ok := flagKeys[f.Name]; ok {
			v.BindPFlag(key, f)
		}
	})
	if a.configFile != "" {
		v.SetConfigFile(a.configFile)
		if err := v.ReadInConfig(); err != nil {
			return usagef("config %s: %v", a.configFile, err)
		}
	} else if _, err := os.Stat("sift.yaml"); err == nil {
		v.SetConfigFile("sift.yaml")
		if err := v.ReadInConfig(); err != nil {
			return usagef("config sift.yaml: %v", err)
		}
	}
	if err := v.UnmarshalExact(&a.cfg); err != nil {
		return usagef("config %s: %v", v.ConfigFileUsed(), err)
	}
	return a.cfg.validate()
}

func (c *config) validate() error {
	var errs []error
	if c.Workers < 1 {
		errs = append(errs, fmt.Errorf("workers: %d; want at least 1", c.Workers))
	}
	l := c.Limits
	for key, n := range map[string]int64{
		"limits.max_bytes": l.MaxBytes, "limits.max_pages": int64(l.MaxPages),
		"limits.max_decompressed": l.MaxDecompressed, "limits.max_memory": l.MaxMemory,
	} {
		if n <= 0 {
			errs = append(errs, fmt.Errorf("%s: %d; want a positive number", key, n))
		}
	}
	if c.DataDir == "" {
		errs = append(errs, fmt.Errorf("data_dir: empty; want a folder such as ./sift-data"))
	}
	if len(c.Profiles) == 0 {
		errs = append(errs, fmt.Errorf("profiles: empty; want at least one profile, such as [cso]"))
	}
	errs = append(errs, c.Server.validate()...)
	if l.Timeout <= 0 {
		errs = append(errs, fmt.Errorf("limits.timeout: %s; want a positive duration such as 30s", l.Timeout))
	}
	if err := errors.Join(errs...); err != nil {
		return usageError{err}
	}
	return nil
}

// parser returns the in-process parser the configuration describes.
func (c *config) parser(asOf parser.Month) parser.Parser {
	return parser.Parser{
		MaxBytes:        c.Limits.MaxBytes,
		MaxPages:        c.Limits.MaxPages,
		MaxDecompressed: c.Limits.MaxDecompressed,
		Timeout:         c.Limits.Timeout,
		AsOf:            asOf,
	}
}
