package netra

import "time"

// Import statuses.
const (
	ImportQueued  = "queued"
	ImportRunning = "running"
	ImportDone    = "done"
	ImportFailed  = "failed"
	// An import first runs as a dry run (DryRun set) that writes no
	// employee and ends "previewed" with its counts; the operator then
	// confirms it (it is queued again and really runs) or cancels it
	// ("cancelled": the upload is deleted).
	ImportPreviewed = "previewed"
	ImportCancelled = "cancelled"
)

// Import is one roster file being (or having been) imported.
type Import struct {
	ID        int64
	TenantID  int64
	Filename  string
	BlobKey   string
	SizeBytes int64
	SHA256    string
	Status    string
	ReadBytes int64
	RowsRead  int64
	Inserted  int64
	Updated   int64
	Unchanged int64
	Rejected  int64
	Pending   int64 // rows whose employee belongs to another government: pending transfers
	Warnings  int64 // rows imported with a plausibility warning
	DryRun    bool  // counting only: the counts are what a real run would do
	// Preview is the dry run's counts per government, largest first.
	Preview      []ImportGovernment
	Error        Message
	CreatedBy    int64 // the user who started it; 0 for a token or the system
	CreatedToken int64 // the API token that started it, or 0
	CreatedAt    time.Time
	StartedAt    time.Time
	FinishedAt   time.Time
}

// Progress returns how far the import has read, from 0 to 1.
func (im *Import) Progress() float64 {
	switch {
	case im.Status == ImportDone:
		return 1
	case im.SizeBytes <= 0:
		return 0
	}
	return min(1, float64(im.ReadBytes)/float64(im.SizeBytes))
}

// ImportProblem is why one cell of a roster row was refused. UnitID is the
// unit the row named, when it could be resolved (0 otherwise): it decides
// who may read the cell (see Store.ImportProblems).
type ImportProblem struct {
	Line   int64
	Column string
	Value  string
	Reason Message
	UnitID int64
	// Warning marks a plausibility warning: the row was imported anyway.
	Warning bool
}

// ImportGovernment is what an import does (or, in a dry run, would do) to
// one government's rows. Other is set for rows of a real government the
// import may not write to (they are all rejected).
type ImportGovernment struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Other     bool   `json:"other,omitempty"`
	Inserted  int64  `json:"inserted"`
	Updated   int64  `json:"updated"`
	Unchanged int64  `json:"unchanged"`
	Rejected  int64  `json:"rejected"`
	Pending   int64  `json:"pending"`
}

// Rows is how many rows of the government the import read.
func (g ImportGovernment) Rows() int64 {
	return g.Inserted + g.Updated + g.Unchanged + g.Rejected + g.Pending
}
