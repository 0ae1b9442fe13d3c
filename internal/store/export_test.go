package store

import "context"

// SetPlacementForTest writes an employee's head flag and TMT jabatan
// directly. TODO(merge): once the registry's UpdateEmployee writes Head and
// PositionDate, tests can set them through it instead.
func SetPlacementForTest(s *Store, employeeID int64, head bool, positionDate string) error {
	_, err := s.w.ExecContext(context.Background(), `UPDATE employees SET head = $1, position_date = $2 WHERE id = $3`,
		head, positionDate, employeeID)
	return err
}

// WriterWaitsForTest is how many times a writer waited for the writer
// connection.
func WriterWaitsForTest(s *Store) int64 { return s.w.Stats().WaitCount }

// OpenForTest reports whether the importer holds a transaction not yet
// committed.
func (imp *Importer) OpenForTest() bool { return imp.open != nil }

// FirstLoadForTest reports whether the importer still takes its import for
// the first load of an empty registry (see import_fresh.go).
func (imp *Importer) FirstLoadForTest() bool { return imp.first != nil }
