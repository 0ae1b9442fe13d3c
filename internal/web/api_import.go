package web

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/netra-id/netra"
)

type apiImport struct {
	ID         int64                    `json:"id"`
	TenantID   int64                    `json:"tenant_id"`
	Filename   string                   `json:"filename"`
	Status     string                   `json:"status"`
	Progress   float64                  `json:"progress"`
	SizeBytes  int64                    `json:"size_bytes"`
	ReadBytes  int64                    `json:"read_bytes"`
	RowsRead   int64                    `json:"rows_read"`
	Inserted   int64                    `json:"inserted"`
	Updated    int64                    `json:"updated"`
	Unchanged  int64                    `json:"unchanged"`
	Rejected   int64                    `json:"rejected"`
	Pending    int64                    `json:"pending"`
	Warnings   int64                    `json:"warnings"`
	DryRun     bool                     `json:"dry_run"`
	Preview    []netra.ImportGovernment `json:"preview,omitempty"`
	Error      *string                  `json:"error"`
	CreatedAt  string                   `json:"created_at"`
	StartedAt  *string                  `json:"started_at"`
	FinishedAt *string                  `json:"finished_at"`
}

func importJSON(im *netra.Import, lang string) apiImport {
	out := apiImport{ID: im.ID, TenantID: im.TenantID, Filename: im.Filename, Status: im.Status, Progress: im.Progress(),
		SizeBytes: im.SizeBytes, ReadBytes: im.ReadBytes, RowsRead: im.RowsRead, Inserted: im.Inserted, Updated: im.Updated,
		Unchanged: im.Unchanged, Rejected: im.Rejected, Pending: im.Pending, Warnings: im.Warnings, DryRun: im.DryRun,
		Preview: im.Preview, CreatedAt: ts(im.CreatedAt), StartedAt: optTS(im.StartedAt),
		FinishedAt: optTS(im.FinishedAt)}
	if msg := im.Error.In(lang); msg != "" {
		out.Error = &msg
	}
	return out
}

// apiImports lists a government's imports, newest first.
func (s *Server) apiImports(w http.ResponseWriter, r *http.Request) error {
	tid := formID(r.URL.Query().Get("tenant_id"))
	if tid == 0 {
		return netra.Invalid("tenant_id", netra.Msg("tenant_id wajib diisi.", "tenant_id is required."))
	}
	ims, err := s.store.Imports(r.Context(), tid)
	if err != nil {
		return err
	}
	out := list[apiImport]{Items: []apiImport{}}
	for i := range ims {
		out.Items = append(out.Items, importJSON(&ims[i], info(r).lang))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiImport returns an import's status and counts; the progress page polls it.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	im, err := s.store.Import(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, importJSON(im, info(r).lang))
}

// apiImportCreate uploads a roster (multipart: tenant_id, then file) and
// queues its import. A file that cannot be read at all is refused with 422
// and a message on "file"; nothing is created.
func (s *Server) apiImportCreate(w http.ResponseWriter, r *http.Request) error {
	var im *netra.Import
	if _, err := s.readUpload(w, r, "tenant_id", func(tenantID int64, name string, body io.Reader) error {
		var err error
		if r.URL.Query().Get("dry_run") == "true" {
			im, err = s.imports.SubmitPreview(r.Context(), tenantID, name, body)
		} else {
			im, err = s.imports.Submit(r.Context(), tenantID, name, body)
		}
		return fileProblem(err)
	}); err != nil {
		return err
	}
	return created(w, "/api/v1/imports/"+strconv.FormatInt(im.ID, 10), importJSON(im, info(r).lang))
}

type apiImportProblem struct {
	Line   int64  `json:"line"`
	Column string `json:"column"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
	// Warning: a plausibility warning; the row was imported anyway.
	Warning bool `json:"warning"`
}

// apiImportProblems lists the rejected cells of an import in line order,
// with the reasons in the request's language. The list is streamed: an import
// of a national roster may have rejected millions of cells.
func (s *Server) apiImportProblems(w http.ResponseWriter, r *http.Request) error {
	id, err := s.importAccess(r)
	if err != nil {
		return err
	}
	lang := info(r).lang
	// Buffered: an error before the first 32 kB still gets a proper problem body.
	w.Header().Set("Content-Type", "application/json")
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.WriteString(`{"items":[`)
	n := 0
	err = s.store.EachImportProblem(r.Context(), id, "api", func(p netra.ImportProblem) error {
		b, err := json.Marshal(apiImportProblem{Line: p.Line, Column: p.Column, Value: p.Value, Reason: p.Reason.In(lang), Warning: p.Warning})
		if err != nil {
			return err
		}
		if n++; n > 1 {
			bw.WriteByte(',')
		}
		_, err = bw.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}
