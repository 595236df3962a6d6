//go:build js && wasm

// Command wasm is the GoFlow playground's WebAssembly module. It registers
// one global, goflow, whose functions translate between JavaScript values
// and package playground, which does everything else in plain Go. Build it
// with `make wasm`; the page loads it with Go's wasm_exec.js.
//
// The program does not make the API itself: web/goflow.js loads it, sets
// globalThis.goflowBridge, and the program hands its raw functions to
// goflowBridge.install, which wraps them (nothing uses eval or the Function
// constructor, so the page runs under script-src 'self' 'wasm-unsafe-eval').
// Each function checks its arity first, then reads each argument only through
// goflowBridge.readArg, which checks the argument's kind, reads a config's
// known keys by name and bounds keys and lengths, so that every call answers
// at once, however large or hostile its arguments.
//
// One runtime hosts many playgrounds: goflow.create() returns an instance
// with the same functions over a playground of its own, plus dispose; the
// global goflow is the default instance. At most MaxInstances created
// instances are alive at once.
//
// Every goflow function returns at once: nothing here waits, the
// playground's goroutines do. A function whose input is wrong throws an
// Error whose message is the playground's error, as in
// "submit: n: got 5000; want an integer from 1 to 1000".
package main

import (
	"errors"
	"runtime"
	"strconv"
	"unsafe"

	"github.com/goflow-dev/goflow/wasm/playground"
	"github.com/hack-pad/safejs"
)

func main() {
	bridge, err := safejs.Global().Get("goflowBridge")
	if err == nil && bridge.Type() != safejs.TypeObject {
		err = errors.New("no globalThis.goflowBridge: load main.wasm through web/goflow.js")
	}
	if err == nil {
		err = register(playground.New(), bridge)
	}
	if err != nil {
		println("goflow: " + err.Error())
		return
	}
	select {} // keep the functions alive
}

// binding answers the raw goflow functions for one Playground.
type binding struct {
	pg      *playground.Playground
	readArg safejs.Value // goflow.js's readArg(v, keys): the only way an argument is read
	keys    safejs.Value // the config keys, a JavaScript array made once
	// recordingKey is the string "recording", readArg's keys for a
	// recording (goflow.load's parameter), made once.
	recordingKey safejs.Value
	buf          []byte // reused by this instance's calls; JavaScript calls in one at a time

	// reading is true while readArg runs, that is while JavaScript code of
	// the caller's (a getter, a Proxy trap) may run and call goflow again.
	// Only the JavaScript thread touches it, so it needs no lock.
	reading bool
}

// register makes one raw function per playground.Functions name for pg
// (the default instance) and one more, create, and hands them to
// bridge.install (goflow.js), which wraps them, sets globalThis.goflow,
// then goflow.ready last, then dispatches "goflow:ready".
func register(pg *playground.Playground, bridge safejs.Value) error {
	readArg, err := bridge.Get("readArg")
	if err != nil {
		return err
	}
	if readArg.Type() != safejs.TypeFunction {
		return errors.New("goflowBridge.readArg is not a function")
	}
	keys := playground.Keys()
	list := make([]any, len(keys))
	for i, k := range keys {
		list[i] = k
	}
	jsKeys, err := safejs.ValueOf(list)
	if err != nil {
		return err
	}
	recKey, err := safejs.ValueOf("recording")
	if err != nil {
		return err
	}
	reg := &registry{readArg: readArg, keys: jsKeys, recordingKey: recKey}
	raw, _, err := reg.functions(pg) // they live as long as the module
	if err != nil {
		return err
	}
	create, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		return reg.create(len(args))
	})
	if err == nil {
		err = raw.Set("create", create)
	}
	// goroutines is the process's count, runtime.NumGoroutine(): every
	// instance's goroutines and the runtime's own, so that a test sees
	// dispose release an instance's (each snapshot counts only its own).
	var goroutines safejs.Func
	if err == nil {
		goroutines, err = safejs.FuncOf(func(safejs.Value, []safejs.Value) any { return strconv.Itoa(runtime.NumGoroutine()) })
	}
	if err == nil {
		err = raw.Set("goroutines", goroutines)
	}
	if err != nil {
		return err
	}
	_, err = bridge.Call("install", raw)
	return err
}

// MaxInstances bounds how many instances goflow.create() keeps alive at
// once (the default goflow is not one of them): each costs its JavaScript
// functions and its playground's memory, so a page that creates them in a
// loop and never disposes them gets an Error rather than an exhausted heap.
const MaxInstances = 64

// registry makes the raw functions of the default instance and of every
// instance goflow.create() makes. Only the JavaScript thread uses it (every
// raw function runs there, one at a time), so it needs no lock.
type registry struct {
	readArg safejs.Value // goflow.js's readArg(v, keys)
	keys    safejs.Value // the config keys, a JavaScript array made once
	// recordingKey is the string "recording", readArg's keys for a recording.
	recordingKey safejs.Value
	live         int // instances created and not yet disposed, at most MaxInstances
}

// functions makes a JavaScript object holding one raw function per
// playground.Functions name, each calling pg, and returns it with the
// functions, for Release.
func (r *registry) functions(pg *playground.Playground) (safejs.Value, []safejs.Func, error) {
	b := &binding{pg: pg, readArg: r.readArg, keys: r.keys, recordingKey: r.recordingKey}
	raw, err := safejs.Global().Get("Object")
	if err == nil {
		raw, err = raw.New()
	}
	if err != nil {
		return raw, nil, err
	}
	fns := make([]safejs.Func, 0, len(playground.Functions)+1)
	for _, name := range playground.Functions {
		fn, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			return b.call(name, args)
		})
		if err == nil {
			fns = append(fns, fn)
			err = raw.Set(name, fn)
		}
		if err != nil {
			release(fns)
			return raw, nil, err
		}
	}
	return raw, fns, nil
}

func release(fns []safejs.Func) {
	for _, fn := range fns {
		fn.Release()
	}
}

// create answers goflow.create(): the raw functions of a new playground
// and a raw dispose, or {error} when MaxInstances are alive. dispose
// disposes the playground (which cancels its run and waits for nothing)
// and releases every function of the instance, itself included: goflow.js
// refuses any later call with "<fn>: instance disposed" before it could
// reach a released function.
func (r *registry) create(nargs int) any {
	if nargs != 0 {
		return failure("create: got " + strconv.Itoa(nargs) + " arguments; want none")
	}
	if r.live >= MaxInstances {
		return failure("create: " + strconv.Itoa(MaxInstances) + " instances are alive, the most there may be; dispose one first")
	}
	pg := playground.New()
	raw, fns, err := r.functions(pg)
	if err != nil {
		return failure("create: " + err.Error())
	}
	var dispose safejs.Func
	dispose, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) != 0 {
			return failure("dispose: got " + strconv.Itoa(len(args)) + " arguments; want none")
		}
		if pg.Disposed() {
			return failure("dispose: instance disposed")
		}
		pg.Dispose()
		r.live--
		release(fns)
		dispose.Release() // allowed while it runs
		return safejs.Undefined()
	})
	if err == nil {
		err = raw.Set("dispose", dispose)
	}
	if err != nil {
		release(fns)
		return failure("create: " + err.Error())
	}
	r.live++
	return raw
}

// call runs one goflow function: it checks the arity, refuses a call made
// while another is reading its arguments, reads each argument through
// readArg, calls the playground, and returns the JSON string, undefined,
// or {error: message}. A panic becomes an error too, so that JavaScript
// always gets an Error.
func (b *binding) call(name string, args []safejs.Value) (result any) {
	defer func() {
		if r := recover(); r != nil {
			result = failure(name + ": internal error: " + panicText(r))
		}
	}()
	if b.reading {
		return failure(name + ": called while another goflow call was reading its arguments (from a getter or a Proxy trap); goflow calls cannot nest")
	}
	if err := playground.CheckArity(name, len(args)); err != nil {
		return failure(err.Error())
	}
	params := playground.Parameters(name)
	goArgs := make([]any, len(args))
	for i, a := range args {
		v, err := b.read(a, params[i])
		if err != nil {
			return failure(name + ": argument " + strconv.Itoa(i+1) + ": " + err.Error())
		}
		goArgs[i] = v
	}
	if name == "step" {
		return b.step()
	}
	out, err := b.pg.Call(b.buf[:0], name, goArgs)
	b.buf = out[:0]
	switch {
	case err != nil:
		return failure(err.Error())
	case len(out) == 0:
		return safejs.Undefined()
	}
	// JavaScript copies the string before the next call can touch buf, so
	// it need not be copied here first.
	return unsafe.String(unsafe.SliceData(out), len(out))
}

// step answers goflow.step(): the event's JSON when Step records it at
// once, or else a Promise that a goroutine resolves with the event's JSON
// once the run has moved to record it (goflow.js parses it), or rejects if
// the session is replaced first. Nothing here waits.
func (b *binding) step() any {
	out, wait, err := b.pg.CallStep(nil)
	switch {
	case err != nil:
		return failure(err.Error())
	case wait == nil:
		return string(out)
	}
	ctor, err := safejs.Global().Get("Promise")
	if err != nil {
		return failure("step: " + err.Error())
	}
	var executor safejs.Func
	executor, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			defer executor.Release()
			if ev, ok := <-wait; ok {
				_, _ = resolve.Invoke(string(ev))
				return
			}
			_, _ = reject.Invoke("step: the session was replaced before the next event was recorded")
		}()
		return nil
	})
	if err != nil {
		return failure("step: " + err.Error())
	}
	p, err := ctor.New(executor.Value())
	if err != nil {
		return failure("step: " + err.Error())
	}
	return p
}

func failure(msg string) any { return map[string]any{"error": msg} }

func panicText(r any) string {
	switch r := r.(type) {
	case error:
		return r.Error()
	case string:
		return r
	}
	return "unknown panic"
}

// read converts the argument v to the Go value package playground takes
// (see playground/value.go), through readArg: nothing here touches v
// itself, only what readArg made of it, a value of its own that cannot
// throw. param is the parameter's name: a "config" object's known keys
// readArg reads by name; a "recording" readArg turns into bounded JSON text.
func (b *binding) read(v safejs.Value, param string) (any, error) {
	keys := safejs.Null()
	switch param {
	case "config":
		keys = b.keys
	case "recording":
		keys = b.recordingKey
	}
	b.reading = true
	r, err := func() (safejs.Value, error) {
		defer func() { b.reading = false }()
		return b.readArg.Invoke(v, keys)
	}()
	if err != nil { // readArg catches everything; do not read err's message, which may throw
		return nil, errors.New("JavaScript error")
	}
	if r.Type() != safejs.TypeObject {
		return scalar(r)
	}
	if msg, err := r.Get("error"); err != nil || msg.Type() == safejs.TypeString {
		return nil, errors.New(stringOr(msg, "JavaScript error"))
	}
	if other, err := r.Get("other"); err != nil || other.Type() == safejs.TypeString {
		return playground.Other(stringOr(other, "a value")), nil
	}
	cfg, err := r.Get("config")
	if err != nil {
		return nil, err
	}
	out := make(map[string]any)
	for _, k := range playground.Keys() {
		el, err := cfg.Get(k)
		if err != nil {
			return nil, err
		}
		if el.Type() == safejs.TypeUndefined {
			continue // missing, or undefined: the default
		}
		if out[k], err = b.element(el); err != nil {
			return nil, err
		}
	}
	unknown, err := r.Get("unknown")
	if err != nil {
		return nil, err
	}
	n, err := unknown.Length()
	if err != nil {
		return nil, err
	}
	for i := range n {
		k, err := unknown.Index(i)
		if err != nil {
			return nil, err
		}
		key, err := k.String()
		if err != nil {
			return nil, err
		}
		out[key] = playground.Other("a value") // never read: ParseConfig refuses the key
	}
	return out, nil
}

// element converts a config value that readArg described: a scalar, or
// {other: description}.
func (b *binding) element(v safejs.Value) (any, error) {
	if v.Type() != safejs.TypeObject {
		return scalar(v)
	}
	other, err := v.Get("other")
	return playground.Other(stringOr(other, "a value")), err
}

// scalar converts what readArg returns as it is: undefined, null, a
// boolean, a number, or a string (of bounded length).
func scalar(v safejs.Value) (any, error) {
	switch v.Type() {
	case safejs.TypeUndefined:
		return playground.Undefined{}, nil
	case safejs.TypeNull:
		return nil, nil
	case safejs.TypeBoolean:
		return v.Bool()
	case safejs.TypeNumber:
		return v.Float()
	case safejs.TypeString:
		return v.String()
	}
	return nil, errors.New("readArg returned a " + v.Type().String())
}

// stringOr returns v as a Go string, or def if v is not a string.
func stringOr(v safejs.Value, def string) string {
	if v.Type() != safejs.TypeString {
		return def
	}
	if s, err := v.String(); err == nil {
		return s
	}
	return def
}
