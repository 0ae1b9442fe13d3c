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
