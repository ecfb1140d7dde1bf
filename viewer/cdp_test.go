package viewer

// A minimal Chrome DevTools Protocol client for the browser tests: it starts
// headless Chromium, speaks the protocol over a WebSocket (RFC 6455, client
// side only: masked text frames out, unmasked frames in, ping answered) and
// offers what the tests need: navigate, evaluate, wait for a condition in
// the page, click, press keys, take screenshots and catch downloads.

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// chromiumPath finds the browser: $EXECSPEC_CHROMIUM when set (and only
// it), else the usual names.
func chromiumPath() string {
	if p := os.Getenv("EXECSPEC_CHROMIUM"); p != "" {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
		return ""
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// requireChromium returns the browser's path. Without one it skips the test
// loudly, unless $CI is set: CI must not skip browser tests silently.
func requireChromium(t *testing.T) string {
	t.Helper()
	p := chromiumPath()
	if p != "" {
		return p
	}
	msg := "headless Chromium not found (looked for $EXECSPEC_CHROMIUM, /usr/bin/chromium, chromium, chromium-browser, google-chrome): install it with `apt-get install -y chromium`"
	if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		t.Fatalf("%s; CI is set, so this is a failure, not a skip", msg)
	}
	t.Skipf("!!! SKIPPING BROWSER TEST: %s !!!", msg)
	return ""
}

// artifactDir is where a test keeps files worth looking at after it ran:
// t.ArtifactDir() (Go 1.26; kept with -artifacts) or a temporary directory.
func artifactDir(t *testing.T) string {
	if a, ok := any(t).(interface{ ArtifactDir() string }); ok {
		return a.ArtifactDir()
	}
	return t.TempDir()
}

const cdpTimeout = 30 * time.Second

// browser is one headless Chromium with one page.
type browser struct {
	t       *testing.T
	cmd     *exec.Cmd
	ws      *wsConn
	session string // the page's flat session id
	stderr  *lockedBuffer

	mu        sync.Mutex
	nextID    int
	pending   map[int]chan cdpMessage
	listeners map[string][]chan json.RawMessage
	readErr   error
}

type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf.Len() < 1<<20 {
		l.buf.Write(p)
	}
	return len(p), nil
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// startBrowser launches headless Chromium with a fresh profile, attaches to
// a new page of width×height CSS pixels and closes everything at cleanup.
func startBrowser(t *testing.T, width, height int) *browser {
	t.Helper()
	path := requireChromium(t)
	profile := t.TempDir()
	cmd := exec.Command(path,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-breakpad", "--disable-crash-reporter", "--mute-audio",
		"--user-data-dir="+profile, "--remote-debugging-port=0",
		fmt.Sprintf("--window-size=%d,%d", width, height), "about:blank")
	setProcessGroup(cmd)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	b := &browser{t: t, cmd: cmd, stderr: &lockedBuffer{}, pending: map[int]chan cdpMessage{}, listeners: map[string][]chan json.RawMessage{}}
	t.Cleanup(b.close)

	// Chromium prints "DevTools listening on ws://..." on stderr; keep
	// draining stderr afterwards so it never blocks.
	wsURL := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		found := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(b.stderr, line)
			if u, ok := strings.CutPrefix(line, "DevTools listening on "); ok && !found {
				found = true
				wsURL <- strings.TrimSpace(u)
			}
		}
		io.Copy(b.stderr, pipe)
		if !found {
			close(wsURL)
		}
	}()
	var u string
	select {
	case v, ok := <-wsURL:
		if !ok {
			t.Fatalf("chromium exited before listening; its stderr:\n%s", b.stderr)
		}
		u = v
	case <-time.After(cdpTimeout):
		t.Fatalf("chromium did not print its DevTools address within %v; its stderr:\n%s", cdpTimeout, b.stderr)
	}
	ws, err := dialWebSocket(u)
	if err != nil {
		t.Fatalf("connecting to chromium's DevTools at %s: %v", u, err)
	}
	b.ws = ws
	go b.readLoop()

	var target struct {
		TargetID string `json:"targetId"`
	}
	b.callSession("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	b.callSession("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	b.session = attached.SessionID
	b.call("Page.enable", nil, nil)
	b.call("Runtime.enable", nil, nil)
	b.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}, nil)
	return b
}

func (b *browser) close() {
	if b.ws != nil {
		// Ask politely, then make sure: the browser and its helpers are in
		// their own process group, which only this test started.
		id, ch := b.send("", "Browser.close", nil)
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
		}
		b.forget(id)
		b.ws.Close()
	}
	done := make(chan struct{})
	go func() { b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		killProcessGroup(b.cmd)
		<-done
	}
}

func (b *browser) readLoop() {
	for {
		data, err := b.ws.ReadMessage()
		if err != nil {
			b.mu.Lock()
			b.readErr = err
			for id, ch := range b.pending {
				close(ch)
				delete(b.pending, id)
			}
			b.mu.Unlock()
			return
		}
		var m cdpMessage
		if err := json.Unmarshal(data, &m); err != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.pending[m.ID]; ok {
				ch <- m
				delete(b.pending, m.ID)
			}
		} else {
			for _, ch := range b.listeners[m.Method] {
				select {
				case ch <- m.Params:
				default: // a listener that does not keep up loses events
				}
			}
		}
		b.mu.Unlock()
	}
}

func (b *browser) send(session, method string, params any) (int, chan cdpMessage) {
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	ch := make(chan cdpMessage, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, _ := json.Marshal(msg)
	if err := b.ws.WriteText(data); err != nil {
		b.t.Fatalf("sending %s: %v", method, err)
	}
	return id, ch
}

func (b *browser) forget(id int) {
	b.mu.Lock()
	delete(b.pending, id)
	b.mu.Unlock()
}

// callSession sends a command and decodes its result into result (if not
// nil); an error fails the test.
func (b *browser) callSession(session, method string, params, result any) {
	b.t.Helper()
	if err := b.try(session, method, params, result); err != nil {
		b.t.Fatal(err)
	}
}

func (b *browser) try(session, method string, params, result any) error {
	id, ch := b.send(session, method, params)
	select {
	case m, ok := <-ch:
		if !ok {
			return fmt.Errorf("%s: connection to chromium lost: %v; its stderr:\n%s", method, b.readErr, b.stderr)
		}
		if m.Error != nil {
			return fmt.Errorf("%s: %s (code %d)", method, m.Error.Message, m.Error.Code)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				return fmt.Errorf("%s: decoding the result: %w", method, err)
			}
		}
		return nil
	case <-time.After(cdpTimeout):
		b.forget(id)
		return fmt.Errorf("%s: no answer within %v", method, cdpTimeout)
	}
}

// call sends a command to the page.
func (b *browser) call(method string, params, result any) {
	b.t.Helper()
	b.callSession(b.session, method, params, result)
}

// subscribe returns a channel receiving the params of the named event.
func (b *browser) subscribe(method string) chan json.RawMessage {
	ch := make(chan json.RawMessage, 256)
	b.mu.Lock()
	b.listeners[method] = append(b.listeners[method], ch)
	b.mu.Unlock()
	return ch
}

// navigate loads u and waits for the page's load event.
func (b *browser) navigate(u string) {
	b.t.Helper()
	loaded := b.subscribe("Page.loadEventFired")
	var res struct {
		ErrorText string `json:"errorText"`
	}
	b.call("Page.navigate", map[string]any{"url": u}, &res)
	if res.ErrorText != "" {
		b.t.Fatalf("navigating to %s: %s", u, res.ErrorText)
	}
	select {
	case <-loaded:
	case <-time.After(cdpTimeout):
		b.t.Fatalf("%s did not finish loading within %v", u, cdpTimeout)
	}
}

// eval evaluates a JavaScript expression in the page (awaiting promises)
// and decodes its value into out (if not nil).
func (b *browser) eval(expr string, out any) {
	b.t.Helper()
	if err := b.tryEval(expr, out); err != nil {
		b.t.Fatal(err)
	}
}

func (b *browser) tryEval(expr string, out any) error {
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := b.try(b.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res); err != nil {
		return err
	}
	if e := res.ExceptionDetails; e != nil {
		return fmt.Errorf("evaluating %q: %s %s", expr, e.Text, e.Exception.Description)
	}
	if out != nil {
		if err := json.Unmarshal(res.Result.Value, out); err != nil {
			return fmt.Errorf("evaluating %q: result %s: %w", expr, res.Result.Value, err)
		}
	}
	return nil
}

// evalString returns the string value of expr.
func (b *browser) evalString(expr string) string {
	b.t.Helper()
	var s string
	b.eval(expr, &s)
	return s
}

// waitFor waits until the JavaScript condition cond holds in the page. The
// page polls it itself (every 10ms, on its own timer) until a deadline, so
// the test does not sleep; what describes the wait in the failure.
func (b *browser) waitFor(cond, what string) {
	b.t.Helper()
	const limit = 10 * time.Second
	expr := fmt.Sprintf(`new Promise(function (resolve) {
  var deadline = Date.now() + %d;
  (function check() {
    var ok = false;
    try { ok = !!(%s); } catch (e) {}
    if (ok) return resolve(true);
    if (Date.now() > deadline) return resolve(false);
    setTimeout(check, 10);
  })();
})`, limit.Milliseconds(), cond)
	var ok bool
	b.eval(expr, &ok)
	if !ok {
		var body string
		b.tryEval(`document.body ? document.body.innerText.slice(0, 2000) : ""`, &body)
		b.t.Fatalf("waiting for %s: %s still false after %v; the page shows:\n%s", what, cond, limit, body)
	}
}

// click clicks, with real mouse events, the middle of the first element
// matching the CSS selector, scrolling it into view first.
func (b *browser) click(selector string) {
	b.t.Helper()
	b.waitFor(fmt.Sprintf("document.querySelector(%q)", selector), "element "+selector)
	var box struct{ X, Y float64 }
	b.eval(fmt.Sprintf(`(function () {
  var e = document.querySelector(%q);
  e.scrollIntoView({block: "center", inline: "nearest"});
  var r = e.getBoundingClientRect();
  return {X: r.left + Math.min(r.width / 2, 40), Y: r.top + r.height / 2};
})()`, selector), &box)
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		b.call("Input.dispatchMouseEvent", map[string]any{"type": typ, "x": box.X, "y": box.Y, "button": "left", "clickCount": 1}, nil)
	}
}

// press sends a key press (keyDown, keyUp) to the page, e.g. "ArrowRight"
// or "j".
func (b *browser) press(key string) {
	b.t.Helper()
	codes := map[string]struct {
		code string
		vk   int
	}{
		"ArrowRight": {"ArrowRight", 39}, "ArrowLeft": {"ArrowLeft", 37}, "Home": {"Home", 36}, "End": {"End", 35}, "Enter": {"Enter", 13},
	}
	down := map[string]any{"type": "keyDown", "key": key}
	if c, ok := codes[key]; ok {
		down["code"], down["windowsVirtualKeyCode"] = c.code, c.vk
	} else if len(key) == 1 {
		r := strings.ToUpper(key)[0]
		down["text"] = key
		down["code"] = "Key" + string(r)
		if key[0] >= '0' && key[0] <= '9' {
			down["code"] = "Digit" + key
		}
		down["windowsVirtualKeyCode"] = int(r)
	}
	b.call("Input.dispatchKeyEvent", down, nil)
	up := map[string]any{"type": "keyUp", "key": key, "code": down["code"], "windowsVirtualKeyCode": down["windowsVirtualKeyCode"]}
	b.call("Input.dispatchKeyEvent", up, nil)
}

// screenshot saves a PNG of the page under the test's artifact directory
// and logs its path.
func (b *browser) screenshot(name string) string {
	b.t.Helper()
	var res struct {
		Data string `json:"data"`
	}
	b.call("Page.captureScreenshot", map[string]any{"format": "png"}, &res)
	png, err := base64.StdEncoding.DecodeString(res.Data)
	if err != nil {
		b.t.Fatalf("decoding the screenshot: %v", err)
	}
	path := filepath.Join(artifactDir(b.t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
	return path
}

// allowDownloads makes downloads land in dir, named by their guid, and
// returns the channel of download progress events.
func (b *browser) allowDownloads(dir string) chan json.RawMessage {
	b.t.Helper()
	ch := b.subscribe("Browser.downloadProgress")
	b.callSession("", "Browser.setDownloadBehavior", map[string]any{"behavior": "allowAndName", "downloadPath": dir, "eventsEnabled": true}, nil)
	return ch
}

// waitDownload waits for a download to complete and returns its path.
func (b *browser) waitDownload(dir string, events chan json.RawMessage) string {
	b.t.Helper()
	deadline := time.After(cdpTimeout)
	for {
		select {
		case raw := <-events:
			var ev struct {
				GUID  string `json:"guid"`
				State string `json:"state"`
			}
			json.Unmarshal(raw, &ev)
			switch ev.State {
			case "completed":
				return filepath.Join(dir, ev.GUID)
			case "canceled":
				b.t.Fatalf("the download was canceled")
			}
		case <-deadline:
			b.t.Fatalf("no download completed within %v", cdpTimeout)
		}
	}
}

// wsConn is the client side of a WebSocket connection (RFC 6455).
type wsConn struct {
	conn net.Conn
	r    *bufio.Reader
	wmu  sync.Mutex
}

const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

func dialWebSocket(rawURL string) (*wsConn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "ws" {
		return nil, fmt.Errorf("unsupported scheme %q (only ws://)", u.Scheme)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		return nil, err
	}
	var nonce [16]byte
	rand.Read(nonce[:])
	key := base64.StdEncoding.EncodeToString(nonce[:])
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host +
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
		"\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		conn.Close()
		return nil, err
	}
	r := bufio.NewReaderSize(conn, 64<<10)
	resp, err := http.ReadResponse(r, &http.Request{Method: http.MethodGet})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake: %w", err)
	}
	sum := sha1.Sum([]byte(key + wsGUID))
	if resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake: unexpected answer %s", resp.Status)
	}
	return &wsConn{conn: conn, r: r}, nil
}

func (c *wsConn) Close() error { return c.conn.Close() }

// writeFrame writes one final, masked frame (clients must mask).
func (c *wsConn) writeFrame(opcode byte, payload []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	hdr := []byte{0x80 | opcode}
	n := len(payload)
	switch {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n <= 0xFFFF:
		hdr = append(hdr, 0x80|126)
		hdr = binary.BigEndian.AppendUint16(hdr, uint16(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	var mask [4]byte
	rand.Read(mask[:])
	hdr = append(hdr, mask[:]...)
	masked := make([]byte, n)
	for i := range payload {
		masked[i] = payload[i] ^ mask[i%4]
	}
	_, err := c.conn.Write(append(hdr, masked...))
	return err
}

// WriteText sends one text message.
func (c *wsConn) WriteText(p []byte) error { return c.writeFrame(0x1, p) }

// ReadMessage returns the next text or binary message, reassembling
// fragments and answering pings; a close frame ends the stream with io.EOF.
func (c *wsConn) ReadMessage() ([]byte, error) {
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(c.r, h[:]); err != nil {
			return nil, err
		}
		fin, opcode := h[0]&0x80 != 0, h[0]&0x0F
		masked := h[1]&0x80 != 0
		n := uint64(h[1] & 0x7F)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(c.r, b[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(c.r, b[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		if n > 1<<30 {
			return nil, fmt.Errorf("websocket frame of %d bytes", n)
		}
		var mask [4]byte
		if masked {
			if _, err := io.ReadFull(c.r, mask[:]); err != nil {
				return nil, err
			}
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(c.r, payload); err != nil {
			return nil, err
		}
		if masked {
			for i := range payload {
				payload[i] ^= mask[i%4]
			}
		}
		switch opcode {
		case 0x8: // close
			c.writeFrame(0x8, nil)
			return nil, io.EOF
		case 0x9: // ping
			if err := c.writeFrame(0xA, payload); err != nil {
				return nil, err
			}
			continue
		case 0xA: // pong
			continue
		case 0x0, 0x1, 0x2:
			msg = append(msg, payload...)
			if fin {
				return msg, nil
			}
		default:
			return nil, errors.New("websocket: unknown opcode")
		}
	}
}
