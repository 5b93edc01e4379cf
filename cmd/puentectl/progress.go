package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// meter shows the progress of one phase (an upload, a job) on stderr: on a terminal a bar
// redrawn in place, otherwise plain lines, at most one every plainEvery so logs stay readable.
type meter struct {
	w     io.Writer
	tty   bool
	now   func() time.Time
	every time.Duration // at least this long between two plain lines
	label string

	mu    sync.Mutex
	last  time.Time // when a line was last written
	drawn bool      // a terminal line is on screen and not yet ended
	ended bool
}

const (
	plainEvery = 2 * time.Second
	ttyEvery   = 100 * time.Millisecond
	barWidth   = 30
)

func newMeter(w io.Writer, tty bool, now func() time.Time, label string) *meter {
	return &meter{w: w, tty: tty, now: now, every: plainEvery, label: label, last: now()}
}

// update shows frac (0…1, or negative when the total is unknown) and text. Unless force, it
// writes only when enough time has passed since the last line.
func (m *meter) update(frac float64, text string, force bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ended {
		return
	}
	now := m.now()
	gap := m.every
	if m.tty {
		gap = ttyEvery
	}
	if !force && now.Sub(m.last) < gap {
		return
	}
	m.last = now
	if m.tty {
		fmt.Fprintf(m.w, "\r\x1b[K%s %s", m.label, bar(frac))
		if frac >= 0 {
			fmt.Fprintf(m.w, " %3.0f%%", 100*min(frac, 1))
		}
		fmt.Fprintf(m.w, "  %s", text)
		m.drawn = true
		return
	}
	if frac >= 0 {
		fmt.Fprintf(m.w, "%s: %s (%.0f%%)\n", m.label, text, 100*min(frac, 1))
	} else {
		fmt.Fprintf(m.w, "%s: %s\n", m.label, text)
	}
}

// end finishes the phase: on a terminal the bar's line is ended (and replaced by summary when
// there is one); elsewhere summary is printed as a line of its own.
func (m *meter) end(summary string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ended {
		return
	}
	m.ended = true
	if m.tty && m.drawn {
		fmt.Fprint(m.w, "\r\x1b[K")
	}
	if summary != "" {
		fmt.Fprintln(m.w, summary)
	}
}

// bar draws frac as [=====>    ]; an unknown total draws an empty frame.
func bar(frac float64) string {
	if frac < 0 {
		return "[" + strings.Repeat(" ", barWidth) + "]"
	}
	n := int(min(frac, 1) * barWidth)
	switch {
	case n >= barWidth:
		return "[" + strings.Repeat("=", barWidth) + "]"
	case n == 0:
		return "[>" + strings.Repeat(" ", barWidth-1) + "]"
	}
	return "[" + strings.Repeat("=", n-1) + ">" + strings.Repeat(" ", barWidth-n) + "]"
}

// humanBytes formats a byte count in SI units.
func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, exp := float64(n)/unit, 0
	for v >= unit && exp < 4 {
		v /= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", v, "kMGTP"[exp])
}

// thousands formats n with thousands separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// uploadReader counts the bytes the HTTP transport reads from the file and shows them.
type uploadReader struct {
	r     io.Reader
	total int64 // -1 when unknown
	m     *meter
	start time.Time

	mu   sync.Mutex
	n    int64
	done bool
}

func (u *uploadReader) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.done {
		return n, err
	}
	u.n += int64(n)
	if err == io.EOF || (u.total > 0 && u.n >= u.total) {
		u.finishLocked()
		return n, err
	}
	u.m.update(u.frac(), u.text(), false)
	return n, err
}

func (u *uploadReader) frac() float64 {
	if u.total <= 0 {
		return -1
	}
	return float64(u.n) / float64(u.total)
}

func (u *uploadReader) text() string {
	if u.total < 0 {
		return humanBytes(u.n)
	}
	return humanBytes(u.n) + " of " + humanBytes(u.total)
}

func (u *uploadReader) finishLocked() {
	u.done = true
	secs := u.m.now().Sub(u.start).Seconds()
	u.m.end(fmt.Sprintf("%s: sent %s in %.1fs", u.m.label, humanBytes(u.n), secs))
}

// stop ends the meter when the upload ended early (the server answered or the request failed).
func (u *uploadReader) stop() {
	u.mu.Lock()
	defer u.mu.Unlock()
	if !u.done {
		u.done = true
		u.m.end("")
	}
}
