// The initial load with the bulk importer (graph_api/bulk/initial.py): the few values its CSV
// files cannot carry, set once the store is built and indexed.

// name: search_titles
// Lists holding an empty text (a job with neither title nor department), in the order the
// transactional importer leaves them; migrate's backfill would give the bulk store's order.
UNWIND $rows AS row
MATCH (p:Person {id: row.id})
SET p.searchTitles = row.titles
