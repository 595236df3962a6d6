package playground

import (
	"errors"
	"strconv"
	"strings"
)

// Functions are the names of the goflow.* functions that Call answers.
var Functions = []string{
	"start", "submit", "close", "cancel", "pauseConsumer", "setSpeed",
	"snapshot", "parseQuery", "validate", "defaults", "limits",
}

// Call runs the goflow.* function name with args, JavaScript values
// converted to Go (see the types in value.go; a missing argument may be
// left out or given as Undefined). It appends the result's JSON to dst and
// returns it, or returns dst unchanged when the function returns undefined.
// An error's message starts with name and names the argument and the rule,
// as in "submit: n: got 5000; want an integer from 1 to 1000".
func (pg *Playground) Call(dst []byte, name string, args []any) ([]byte, error) {
	switch name {
	case "start", "validate":
		if err := arity(name, args, "config"); err != nil {
			return dst, err
		}
		cfg, err := configArg(arg(args, 0))
		if err != nil {
			return dst, prefix(name, err)
		}
		if name == "start" {
			cfg, err = pg.Start(cfg)
			if err != nil {
				return dst, err
			}
		}
		return cfg.AppendJSON(dst), nil
	case "submit":
		if err := arity(name, args, "n"); err != nil {
			return dst, err
		}
		n, err := checkArg("submit", "n", submitLimit, arg(args, 0))
		if err != nil {
			return dst, err
		}
		backlog, err := pg.Submit(int(n))
		if err != nil {
			return dst, err
		}
		return strconv.AppendInt(dst, int64(backlog), 10), nil
	case "close", "cancel":
		if err := arity(name, args); err != nil {
			return dst, err
		}
		if name == "close" {
			return dst, pg.Close()
		}
		return dst, pg.Cancel()
	case "pauseConsumer":
		if err := arity(name, args, "paused"); err != nil {
			return dst, err
		}
		paused, ok := arg(args, 0).(bool)
		if !ok {
			return dst, errors.New("pauseConsumer: got " + describe(arg(args, 0)) + "; want a boolean")
		}
		pg.PauseConsumer(paused)
		return dst, nil
	case "setSpeed":
		if err := arity(name, args, "factor"); err != nil {
			return dst, err
		}
		f, err := checkArg("setSpeed", "factor", speedLimit, arg(args, 0))
		if err != nil {
			return dst, err
		}
		return dst, pg.SetSpeed(f)
	case "snapshot":
		if err := arity(name, args); err != nil {
			return dst, err
		}
		return pg.AppendSnapshotJSON(dst), nil
	case "parseQuery":
		if err := arity(name, args, "search"); err != nil {
			return dst, err
		}
		search, ok := arg(args, 0).(string)
		if !ok {
			return dst, errors.New("parseQuery: search: got " + describe(arg(args, 0)) + "; want a string")
		}
		return ParseQuery(search).AppendJSON(dst), nil
	case "defaults":
		if err := arity(name, args); err != nil {
			return dst, err
		}
		return DefaultConfig().AppendJSON(dst), nil
	case "limits":
		if err := arity(name, args); err != nil {
			return dst, err
		}
		return GetLimits().AppendJSON(dst), nil
	}
	return dst, errors.New("goflow: no function " + describe(name) + "; functions: " + strings.Join(Functions, ", "))
}

// arity checks that args has no more than the named parameters.
func arity(fn string, args []any, params ...string) error {
	if len(args) <= len(params) {
		return nil
	}
	want := "none"
	if len(params) > 0 {
		want = strconv.Itoa(len(params)) + " (" + strings.Join(params, ", ") + ")"
	}
	return errors.New(fn + ": got " + plural(len(args), "argument") + "; want " + want)
}

// checkArg checks v, the argument param of the function fn, against l, as
// in "submit: n: got 5000; want an integer from 1 to 1000".
func checkArg(fn, param string, l Limit, v any) (float64, error) {
	f, err := l.check(v)
	if err != nil {
		return 0, errors.New(fn + ": " + param + ": " + err.Error())
	}
	return f, nil
}

// arg returns args[i], or Undefined if it is missing.
func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return Undefined{}
}

// configArg parses start's or validate's argument: a config object, or
// undefined for every default.
func configArg(v any) (Config, error) {
	switch v := v.(type) {
	case Undefined:
		return DefaultConfig(), nil
	case map[string]any:
		return ParseConfig(v)
	}
	return Config{}, errors.New("config: got " + describe(v) + "; want an object")
}
