package main

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// The external surfaces the Ingress carries: a WebSocket that streams back (voice, streaming STT) and a response
// of a chosen size (TTS). A minimal RFC 6455 server (text and binary messages, ping, close; no extensions) keeps
// the image free of dependencies.

const (
	websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
	opText        = 0x1
	opBinary      = 0x2
	opClose       = 0x8
	opPing        = 0x9
	opPong        = 0xA
	maxFrame      = 1 << 20
	maxBytes      = 64 << 20
)

// handleStream upgrades to a WebSocket, sends {"service": ..., "hostname": ...} first (which pod holds it), then echoes every message back until the
// client closes or the connection is cut (by an idle timeout of a proxy, for instance).
func (s *server) handleStream(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") || r.Header.Get("Sec-WebSocket-Key") == "" {
		http.Error(w, "GET /stream is a WebSocket: send Upgrade: websocket and Sec-WebSocket-Key", http.StatusBadRequest)
		return
	}
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot take over the connection: "+err.Error(), http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	sum := sha1.Sum([]byte(r.Header.Get("Sec-WebSocket-Key") + websocketGUID))
	fmt.Fprintf(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: %s\r\n\r\n", base64.StdEncoding.EncodeToString(sum[:]))
	hello, _ := json.Marshal(map[string]string{"service": s.opts.serviceName, "hostname": s.opts.hostname})
	if writeFrame(rw.Writer, opText, hello) != nil {
		return
	}
	for {
		opcode, payload, err := readFrame(rw.Reader)
		if err != nil {
			return
		}
		switch opcode {
		case opText, opBinary:
			err = writeFrame(rw.Writer, opcode, payload)
		case opPing:
			err = writeFrame(rw.Writer, opPong, payload)
		case opClose:
			_ = writeFrame(rw.Writer, opClose, payload)
			return
		}
		if err != nil {
			return
		}
	}
}

// readFrame reads one client frame (masked, as RFC 6455 requires of clients); fragments are echoed as they come.
func readFrame(r *bufio.Reader) (byte, []byte, error) {
	var header [2]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return 0, nil, err
	}
	length := uint64(header[1] & 0x7F)
	switch length {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(r, ext[:]); err != nil {
			return 0, nil, err
		}
		length = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(r, ext[:]); err != nil {
			return 0, nil, err
		}
		length = binary.BigEndian.Uint64(ext[:])
	}
	if length > maxFrame {
		return 0, nil, errors.New("frame larger than 1 MiB")
	}
	var mask [4]byte
	masked := header[1]&0x80 != 0
	if masked {
		if _, err := io.ReadFull(r, mask[:]); err != nil {
			return 0, nil, err
		}
	}
	payload := make([]byte, length)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	if masked {
		for i := range payload {
			payload[i] ^= mask[i%4]
		}
	}
	return header[0] & 0x0F, payload, nil
}

// writeFrame writes one unmasked, final server frame and flushes it.
func writeFrame(w *bufio.Writer, opcode byte, payload []byte) error {
	header := []byte{0x80 | opcode}
	switch n := len(payload); {
	case n < 126:
		header = append(header, byte(n))
	case n <= 0xFFFF:
		header = append(header, 126, byte(n>>8), byte(n))
	default:
		header = append(header, 127)
		header = binary.BigEndian.AppendUint64(header, uint64(n))
	}
	if _, err := w.Write(append(header, payload...)); err != nil {
		return err
	}
	return w.Flush()
}

// handleBytes answers GET /bytes?size=N with N bytes (0..64 MiB) of application/octet-stream, like a TTS response.
func (s *server) handleBytes(w http.ResponseWriter, r *http.Request) {
	size, err := strconv.Atoi(r.URL.Query().Get("size"))
	if err != nil || size < 0 || size > maxBytes {
		http.Error(w, "size="+r.URL.Query().Get("size")+" is not understood: use a byte count from 0 to 67108864",
			http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(size))
	chunk := make([]byte, 32<<10)
	for i := range chunk {
		chunk[i] = byte('a' + i%26)
	}
	for size > 0 {
		n := min(size, len(chunk))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		size -= n
	}
}
