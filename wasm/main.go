//go:build js && wasm

// Command wasm is the GoFlow playground's WebAssembly module. It registers
// one global, goflow, whose functions translate between JavaScript values
// and package playground, which does everything else in plain Go. Build it
// with `make wasm`; the page loads it with Go's wasm_exec.js.
//
// Every goflow function returns at once: nothing here waits, the
// playground's goroutines do. A function whose input is wrong throws an
// Error whose message is the playground's error, as in
// "submit: n: got 5000; want an integer from 1 to 1000".
package main

import (
	"errors"
	"strconv"
	"unsafe"

	"github.com/goflow-dev/goflow/wasm/playground"
	"github.com/hack-pad/safejs"
)

// wrapSource is the body of a JavaScript function, made once with the
// Function constructor from this fixed text, that turns the raw Go functions
// into the goflow API. A raw function returns a JSON string (its result),
// undefined (no result) or {error: message}; the wrapper parses the JSON or
// throws new Error(message), since a syscall/js callback cannot throw.
// Results travel as JSON because one string and one JSON.parse cost far less
// than building a snapshot's objects one property at a time from Go.
const wrapSource = `"use strict";
const api = {};
for (const name of Object.keys(raw)) {
	const fn = raw[name];
	api[name] = {[name](...args) {
		const r = fn(...args);
		if (typeof r === "string") return JSON.parse(r);
		if (r == null) return undefined;
		throw new Error(r.error);
	}}[name];
}
return api;`

func main() {
	if err := register(playground.New()); err != nil {
		println("goflow: " + err.Error())
		return
	}
	select {} // keep the functions alive
}

// register sets globalThis.goflow, then goflow.ready (a resolved Promise)
// last, then dispatches a "goflow:ready" Event on globalThis where it is an
// EventTarget (a page; Node.js's globalThis is not).
func register(pg *playground.Playground) error {
	global := safejs.Global()
	js, err := newJSHelpers(global)
	if err != nil {
		return err
	}
	raw, err := js.object.New()
	if err != nil {
		return err
	}
	var buf []byte // reused by every call; JavaScript calls in one at a time
	for _, name := range playground.Functions {
		fn, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			out, res := call(pg, js, buf[:0], name, args)
			buf = out[:0]
			return res
		})
		if err != nil {
			return err
		}
		if err := raw.Set(name, fn); err != nil { // fn lives as long as the module
			return err
		}
	}
	wrap, err := js.function.New("raw", wrapSource)
	if err != nil {
		return err
	}
	api, err := wrap.Invoke(raw)
	if err != nil {
		return err
	}
	if err := global.Set("goflow", api); err != nil {
		return err
	}
	promise, err := global.Get("Promise")
	if err != nil {
		return err
	}
	ready, err := promise.Call("resolve")
	if err != nil {
		return err
	}
	if err := api.Set("ready", ready); err != nil {
		return err
	}
	if dispatch, err := global.Get("dispatchEvent"); err != nil || dispatch.Type() != safejs.TypeFunction {
		return nil
	}
	eventCtor, err := global.Get("Event")
	if err != nil {
		return err
	}
	event, err := eventCtor.New("goflow:ready")
	if err != nil {
		return err
	}
	_, err = global.Call("dispatchEvent", event)
	return err
}

// call runs one goflow function: it converts the arguments, calls the
// playground, and returns the JSON string, undefined, or {error: message}.
// A panic becomes an error too, so that JavaScript always gets an Error.
func call(pg *playground.Playground, js *jsHelpers, buf []byte, name string, args []safejs.Value) (out []byte, result any) {
	out = buf
	defer func() {
		if r := recover(); r != nil {
			result = failure(name + ": internal error: " + panicText(r))
		}
	}()
	goArgs := make([]any, len(args))
	for i, a := range args {
		v, err := js.toGo(a, true)
		if err != nil {
			return out, failure(name + ": argument " + strconv.Itoa(i+1) + ": " + err.Error())
		}
		goArgs[i] = v
	}
	out, err := pg.Call(buf, name, goArgs)
	switch {
	case err != nil:
		return out, failure(err.Error())
	case len(out) == 0:
		return out, safejs.Undefined()
	}
	// JavaScript copies the string before the next call can touch buf, so
	// it need not be copied here first.
	return out, unsafe.String(unsafe.SliceData(out), len(out))
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

// entriesSource is the body of a JavaScript function, made once with the
// Function constructor, that reads an object v: null for an array,
// [[key, value], ...] for any other object (or [] when entries is false:
// an object nested in an argument is only described), or the message of an exception
// that a getter or a Proxy trap threw. Every access to the argument happens
// inside its try: an exception must not reach Go, since one that unwinds
// through a syscall/js call such as Value.Get crashes the program (safejs
// catches it only around Call, Invoke and New, and reads its message with
// Get, which can throw again, as for "throw null").
const entriesSource = `"use strict";
try {
	return Array.isArray(v) ? null : entries ? Object.entries(v) : [];
} catch (e) {
	try {
		return "JavaScript error: " + String(e instanceof Error ? e.message : e);
	} catch {
		return "JavaScript error";
	}
}`

// jsHelpers are the JavaScript functions that converting values needs.
type jsHelpers struct {
	object   safejs.Value // Object
	function safejs.Value // Function
	entries  safejs.Value // made from entriesSource
}

func newJSHelpers(global safejs.Value) (*jsHelpers, error) {
	object, err := global.Get("Object")
	if err != nil {
		return nil, err
	}
	function, err := global.Get("Function")
	if err != nil {
		return nil, err
	}
	entries, err := function.New("v", "entries", entriesSource)
	if err != nil {
		return nil, err
	}
	return &jsHelpers{object: object, function: function, entries: entries}, nil
}

// toGo converts a JavaScript value to the Go value package playground
// takes: undefined to playground.Undefined, null to nil, booleans, numbers
// (float64) and strings as themselves; an argument that is an object to
// map[string]any, one level deep. Anything else becomes a playground.Other
// that describes it: a function, a symbol, a BigInt, an array (no goflow
// function takes one, so its elements are never read: new Array(2**32-1)
// would not fit in memory), or an object nested in an argument.
func (js *jsHelpers) toGo(v safejs.Value, top bool) (any, error) {
	t, ok := typeOf(v)
	if !ok {
		return playground.Other("a BigInt"), nil
	}
	switch t {
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
	case safejs.TypeFunction:
		return playground.Other("a function"), nil
	case safejs.TypeSymbol:
		return playground.Other("a symbol"), nil
	case safejs.TypeObject:
		return js.object2Go(v, top)
	}
	return nil, errors.New("unsupported JavaScript type " + t.String())
}

// typeOf returns v's type, or false for a value that syscall/js has no
// type for: it panics on a BigInt (wasm_exec.js gives it no type flag).
func typeOf(v safejs.Value) (t safejs.Type, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return v.Type(), true
}

func (js *jsHelpers) object2Go(v safejs.Value, top bool) (any, error) {
	entries, err := js.entries.Invoke(v, top)
	if err != nil { // entriesSource catches everything; do not read err's message, which may throw
		return nil, errors.New("JavaScript error")
	}
	switch entries.Type() {
	case safejs.TypeNull:
		return playground.Other("an array"), nil
	case safejs.TypeString:
		msg, err := entries.String()
		if err != nil {
			return nil, err
		}
		return nil, errors.New(msg)
	}
	if !top {
		return playground.Other("an object"), nil
	}
	n, err := entries.Length()
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, n)
	for i := range n {
		kv, err := entries.Index(i) // [key, value], a plain array
		if err != nil {
			return nil, err
		}
		k, err := kv.Index(0)
		if err != nil {
			return nil, err
		}
		key, err := k.String()
		if err != nil {
			return nil, err
		}
		el, err := kv.Index(1)
		if err != nil {
			return nil, err
		}
		if out[key], err = js.toGo(el, false); err != nil {
			return nil, err
		}
	}
	return out, nil
}
