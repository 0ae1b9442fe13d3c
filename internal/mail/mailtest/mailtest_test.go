package mailtest

import (
	"strings"
	"testing"
)

// crlf turns a readable literal into wire format.
func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

func TestDecode(t *testing.T) {
	tests := []struct {
		name        string
		raw         string
		wantSubject string
		wantText    string
		wantHTML    string
	}{
		{
			name:        "plain 7bit, no content type",
			raw:         "Subject: Hello\n\nline one\nline two\n",
			wantSubject: "Hello",
			wantText:    "line one\nline two",
		},
		{
			name: "Q-encoded subject, quoted-printable body",
			raw: "Subject: =?UTF-8?q?Kode_masuk_Netra_=E2=80=93_123456?=\n" +
				"Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n" +
				"Caf=C3=A9 =E2=80=93 a soft=\n break\n",
			wantSubject: "Kode masuk Netra – 123456",
			wantText:    "Café – a soft break",
		},
		{
			name: "B-encoded subject split over two words, base64 body",
			raw: "Subject: =?utf-8?b?S29kZSBtYXN1aw==?=\n =?utf-8?b?IOKAkyBjYWbDqQ==?=\n" +
				"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" +
				"S29kZTog\nMTIzNDU2\n",
			wantSubject: "Kode masuk – café",
			wantText:    "Kode: 123456",
		},
		{
			name: "mixed containing alternative and an attachment",
			raw: "Subject: x\nContent-Type: multipart/mixed; boundary=OUT\n\n" +
				"--OUT\nContent-Type: multipart/alternative; boundary=IN\n\n" +
				"--IN\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\nteks =C3=A9\n" +
				"--IN\nContent-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: base64\n\nPHA+aHRtbDwvcD4=\n" +
				"--IN--\n" +
				"--OUT\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n" +
				"--OUT--\n",
			wantSubject: "x",
			wantText:    "teks é",
			wantHTML:    "<p>html</p>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(crlf(tt.raw))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got.Subject != tt.wantSubject || got.Text != tt.wantText || got.HTML != tt.wantHTML {
				t.Fatalf("Decode = subject %q, text %q, html %q; want %q, %q, %q",
					got.Subject, got.Text, got.HTML, tt.wantSubject, tt.wantText, tt.wantHTML)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, raw string }{
		{"no header end", "Subject x"},
		{"bad content type", "Content-Type: text/\n\nx\n"},
		{"unsupported charset", "Content-Type: text/plain; charset=iso-2022-jp\n\nx\n"},
		{"unknown transfer encoding", "Content-Type: text/plain\nContent-Transfer-Encoding: uuencode\n\nx\n"},
		{"broken base64", "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!!\n"},
		{"unterminated multipart", "Content-Type: multipart/alternative; boundary=B\n\n--B\nContent-Type: text/plain\n\nx\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := Decode(crlf(tt.raw)); err == nil {
				t.Fatalf("Decode gave no error; got %+v", got)
			}
		})
	}
}
