package debrief

import (
	"errors"
	"fmt"
)

// Error codes, mapped to exit codes by the CLI and to HTTP statuses by the web
// app in one place each.
const (
	EINVALID  = "invalid"  // bad input or usage: exit 2, HTTP 400
	ENOTFOUND = "notfound" // HTTP 404
	ECONFLICT = "conflict" // HTTP 409
	EINTERNAL = "internal" // exit 1, HTTP 500
)

// Error is an error a user can act on, with a code for the CLI and web layers.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InputError says where an input is bad and what was expected there. Line is
// 1-based and zero when unknown; Offset is a byte offset used when lines mean
// nothing (a zip member, a minified JSON document).
type InputError struct {
	File   string
	Line   int
	Offset int64
	Msg    string
	Err    error
}

func (e *InputError) Error() string {
	loc := e.File
	switch {
	case e.Line > 0:
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	case e.Offset > 0:
		loc = fmt.Sprintf("%s: byte %d", e.File, e.Offset)
	}
	if e.Err != nil && e.Msg == "" {
		return fmt.Sprintf("%s: %v", loc, e.Err)
	}
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", loc, e.Msg, e.Err)
	}
	return fmt.Sprintf("%s: %s", loc, e.Msg)
}

func (e *InputError) Unwrap() error { return e.Err }

// ErrorCode returns the code of err: EINVALID for input errors, the code of an
// *Error, EINTERNAL for anything else and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var ie *InputError
	if errors.As(err, &ie) {
		return EINVALID
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}
