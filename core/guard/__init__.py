"""The memory guard, after A-MemGuard: screening on write (`rules`), reasoning paths and their
comparison at answer time (`paths`, `consensus`), the lessons it learns (`lessons`, its dual
memory) and the guard service that ties them together (`memory_guard`).

May import: core.memory, core.recall and the shared primitives."""
