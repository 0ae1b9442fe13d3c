package mail_test

import (
	"strings"
	"testing"

	"github.com/netra-id/netra/internal/mail"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name     string
		url      string
		want     mail.Config // From compared by address and name
		wantErr  string      // substring of the error; "" means success
		wantFrom string
	}{
		{
			name:     "full starttls",
			url:      "smtp://user:pass@mail.example.go.id:587?from=Netra%20<noreply@example.go.id>&tls=starttls",
			want:     mail.Config{Host: "mail.example.go.id", Port: 587, TLS: mail.TLSStartTLS, Username: "user", Password: "pass"},
			wantFrom: `"Netra" <noreply@example.go.id>`,
		},
		{
			name:     "smtp defaults to starttls on 587",
			url:      "smtp://mail.example.go.id?from=noreply@example.go.id",
			want:     mail.Config{Host: "mail.example.go.id", Port: 587, TLS: mail.TLSStartTLS},
			wantFrom: "<noreply@example.go.id>",
		},
		{
			name:     "smtps implies tls on 465",
			url:      "smtps://u:p@mail.example.go.id?from=noreply@example.go.id",
			want:     mail.Config{Host: "mail.example.go.id", Port: 465, TLS: mail.TLSImplicit, Username: "u", Password: "p"},
			wantFrom: "<noreply@example.go.id>",
		},
		{
			name:     "smtp with tls=tls defaults to 465",
			url:      "smtp://mail.example.go.id?from=noreply@example.go.id&tls=TLS",
			want:     mail.Config{Host: "mail.example.go.id", Port: 465, TLS: mail.TLSImplicit},
			wantFrom: "<noreply@example.go.id>",
		},
		{
			name:     "none with explicit port",
			url:      "smtp://relay.internal:25?from=noreply@example.go.id&tls=none",
			want:     mail.Config{Host: "relay.internal", Port: 25, TLS: mail.TLSNone},
			wantFrom: "<noreply@example.go.id>",
		},
		{
			name:     "password with escaped characters",
			url:      "smtp://user%40example.go.id:p%40ss%2Fw%3Ard@mail.example.go.id?from=noreply@example.go.id",
			want:     mail.Config{Host: "mail.example.go.id", Port: 587, TLS: mail.TLSStartTLS, Username: "user@example.go.id", Password: "p@ss/w:rd"},
			wantFrom: "<noreply@example.go.id>",
		},
		{
			name:     "clear-text password to loopback",
			url:      "smtp://u:p@127.0.0.1:2525?from=noreply@example.go.id&tls=none",
			want:     mail.Config{Host: "127.0.0.1", Port: 2525, TLS: mail.TLSNone, Username: "u", Password: "p"},
			wantFrom: "<noreply@example.go.id>",
		},
		{
			name:     "IPv6 host",
			url:      "smtp://[::1]:2525?from=noreply@example.go.id&tls=none",
			want:     mail.Config{Host: "::1", Port: 2525, TLS: mail.TLSNone},
			wantFrom: "<noreply@example.go.id>",
		},
		{name: "empty means log", url: "", want: mail.Config{Log: true}, wantFrom: "<@>"},
		{name: "blank means log", url: "  ", want: mail.Config{Log: true}, wantFrom: "<@>"},
		{name: "log:", url: "log:", want: mail.Config{Log: true}, wantFrom: "<@>"},
		{name: "log with from", url: "log:?from=noreply@example.go.id", want: mail.Config{Log: true}, wantFrom: "<noreply@example.go.id>"},

		{name: "unknown scheme", url: "http://mail.example.go.id?from=a@b.c", wantErr: `scheme "http"`},
		{name: "no scheme", url: "mail.example.go.id", wantErr: "scheme"},
		{name: "no host", url: "smtp://?from=a@example.go.id", wantErr: "host required"},
		{name: "opaque", url: "smtp:mail.example.go.id?from=a@example.go.id", wantErr: "want smtp://host"},
		{name: "path", url: "smtp://mail.example.go.id/inbox?from=a@example.go.id", wantErr: "path"},
		{name: "no from", url: "smtp://mail.example.go.id", wantErr: "from parameter required"},
		{name: "bad from", url: "smtp://mail.example.go.id?from=not-an-address", wantErr: "from"},
		{name: "bad tls", url: "smtp://mail.example.go.id?from=a@example.go.id&tls=ssl", wantErr: `tls="ssl"`},
		{name: "smtps with tls=none", url: "smtps://mail.example.go.id?from=a@example.go.id&tls=none", wantErr: "smtps:// always uses TLS"},
		{name: "port zero", url: "smtp://mail.example.go.id:0?from=a@example.go.id", wantErr: "port"},
		{name: "port too big", url: "smtp://mail.example.go.id:70000?from=a@example.go.id", wantErr: "port"},
		{name: "port not a number", url: "smtp://mail.example.go.id:abc?from=a@example.go.id", wantErr: "port"},
		{name: "unknown parameter", url: "smtp://mail.example.go.id?form=a@example.go.id", wantErr: `unknown parameter "form"`},
		{name: "repeated parameter", url: "smtp://mail.example.go.id?from=a@example.go.id&tls=none&tls=tls", wantErr: "given 2 times"},
		{name: "user without password", url: "smtp://user@mail.example.go.id?from=a@example.go.id", wantErr: "both user and password"},
		{name: "password without user", url: "smtp://:secret@mail.example.go.id?from=a@example.go.id", wantErr: "both user and password"},
		{name: "clear-text password over network", url: "smtp://u:secret@mail.example.go.id?from=a@example.go.id&tls=none", wantErr: "without TLS"},
		{name: "log with host", url: "log://mail.example.go.id", wantErr: "log: takes no address"},
		{name: "control character", url: "smtp://u:secret@mail.example.go.id\x7f?from=a@example.go.id", wantErr: "mail URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mail.ParseURL(tt.url)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseURL(%q) = %+v, want an error containing %q", tt.url, got, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseURL(%q) error %q, want it to contain %q", tt.url, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Fatalf("ParseURL error %q reveals the password", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURL(%q): %v", tt.url, err)
			}
			if from := got.From.String(); from != tt.wantFrom {
				t.Errorf("From = %s, want %s", from, tt.wantFrom)
			}
			got.From = tt.want.From
			if got != tt.want {
				t.Errorf("ParseURL(%q) = %+v, want %+v", tt.url, got, tt.want)
			}
		})
	}
}

func TestConfigStringHidesPassword(t *testing.T) {
	tests := []string{
		"smtp://user:s3cr3tpw@mail.example.go.id:587?from=Netra%20<noreply@example.go.id>&tls=starttls",
		"smtps://user:s3cr3tpw@mail.example.go.id?from=noreply@example.go.id",
		"smtp://mail.example.go.id?from=noreply@example.go.id&tls=none",
		"log:?from=noreply@example.go.id",
		"log:",
	}
	for _, raw := range tests {
		cfg, err := mail.ParseURL(raw)
		if err != nil {
			t.Fatalf("ParseURL(%q): %v", raw, err)
		}
		s := cfg.String()
		if strings.Contains(s, "s3cr3tpw") {
			t.Errorf("String() = %q reveals the password", s)
		}
		// Apart from the password, String must say the same thing as the URL.
		back, err := mail.ParseURL(s)
		if err != nil {
			t.Fatalf("ParseURL(String() = %q): %v", s, err)
		}
		if cfg.Password != "" {
			back.Password = cfg.Password
		}
		if back != cfg {
			t.Errorf("ParseURL(%q) = %+v, want %+v", s, back, cfg)
		}
	}
}
