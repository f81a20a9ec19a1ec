package render

import "io"

// asyncWriter hands full buffers to a goroutine that writes them, so that
// merging and encoding the next megabyte overlaps the system call writing
// the last one. A large timeline spends as long in write(2) as in encoding.
type asyncWriter struct {
	w    io.Writer
	buf  []byte
	full chan []byte
	free chan []byte
	done chan error
	err  error
}

const asyncBuf = 1 << 20

func newAsyncWriter(w io.Writer) *asyncWriter {
	a := &asyncWriter{w: w, buf: make([]byte, 0, asyncBuf),
		full: make(chan []byte, 1), free: make(chan []byte, 2), done: make(chan error, 1)}
	a.free <- make([]byte, 0, asyncBuf)
	go a.loop()
	return a
}

func (a *asyncWriter) loop() {
	var err error
	for b := range a.full {
		if err == nil {
			_, err = a.w.Write(b)
		}
		a.free <- b[:0]
	}
	a.done <- err
}

// Write buffers p; it never fails itself, errors surface at Close.
func (a *asyncWriter) Write(p []byte) (int, error) {
	a.buf = append(a.buf, p...)
	if len(a.buf) >= asyncBuf {
		a.full <- a.buf
		a.buf = <-a.free
	}
	return len(p), nil
}

// WriteString buffers s.
func (a *asyncWriter) WriteString(s string) (int, error) {
	a.buf = append(a.buf, s...)
	if len(a.buf) >= asyncBuf {
		a.full <- a.buf
		a.buf = <-a.free
	}
	return len(s), nil
}

// Close writes what is left and reports the first write error.
func (a *asyncWriter) Close() error {
	if len(a.buf) > 0 {
		a.full <- a.buf
	}
	close(a.full)
	return <-a.done
}
