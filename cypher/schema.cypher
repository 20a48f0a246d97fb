// Constraints and indexes, applied idempotently at every start (graph-api migrate).
// Every party (person or organization) shares one id space under the :Party label.
CREATE CONSTRAINT party_id IF NOT EXISTS FOR (n:Party) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT rep_id IF NOT EXISTS FOR (n:Rep) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT team_id IF NOT EXISTS FOR (n:AccountTeam) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT product_id IF NOT EXISTS FOR (n:Product) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT holding_id IF NOT EXISTS FOR (n:Holding) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT opportunity_id IF NOT EXISTS FOR (n:Opportunity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT interaction_id IF NOT EXISTS FOR (n:Interaction) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT rule_id IF NOT EXISTS FOR (n:AffinityRule) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:BusinessEvent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT competitor_id IF NOT EXISTS FOR (n:Competitor) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT tas_answer_id IF NOT EXISTS FOR (n:TasAnswer) REQUIRE n.id IS UNIQUE;
// The write API: its locks (one node per name) and the audit trail (by time, for pruning).
CREATE CONSTRAINT write_lock_name IF NOT EXISTS FOR (n:WriteLock) REQUIRE n.name IS UNIQUE;
// The graph's version (cypher/graph_version.cypher): one node; MERGE on its key locks it.
CREATE CONSTRAINT graph_version_key IF NOT EXISTS FOR (n:GraphVersion) REQUIRE n.key IS UNIQUE;
// The co-holding statistics (cypher/cross_sell.cypher): one node that writes MERGE and lock.
CREATE CONSTRAINT co_holding_stats_id IF NOT EXISTS FOR (n:CoHoldingStats) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT audit_entry_id IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.id IS UNIQUE;
CREATE INDEX audit_entry_at IF NOT EXISTS FOR (n:AuditEntry) ON (n.at);
// The change feed (outbox): one position per change, the sequence node, pruning by time.
CREATE CONSTRAINT change_position IF NOT EXISTS FOR (n:Change) REQUIRE n.position IS UNIQUE;
CREATE INDEX change_at IF NOT EXISTS FOR (n:Change) ON (n.at);
CREATE CONSTRAINT feed_sequence_name IF NOT EXISTS FOR (n:FeedSequence) REQUIRE n.name IS UNIQUE;
// Idempotency keys of writes: one per key (MERGE on it locks it), by time for pruning.
CREATE CONSTRAINT idempotency_key IF NOT EXISTS FOR (n:IdempotencyKey) REQUIRE n.key IS UNIQUE;
CREATE INDEX idempotency_key_at IF NOT EXISTS FOR (n:IdempotencyKey) ON (n.at);
// API keys stored hashed (graph-api keys): looked up by hash on every request that sends one.
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT api_key_sha256 IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.sha256 IS UNIQUE;
// Webhooks (cypher/webhooks.cypher): registrations, and their delivery log by webhook and status.
CREATE CONSTRAINT webhook_id IF NOT EXISTS FOR (n:Webhook) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT webhook_delivery_id IF NOT EXISTS FOR (n:WebhookDelivery) REQUIRE n.id IS UNIQUE;
CREATE INDEX webhook_delivery_webhook IF NOT EXISTS FOR (n:WebhookDelivery) ON (n.webhookId, n.position);
CREATE INDEX webhook_delivery_status IF NOT EXISTS FOR (n:WebhookDelivery) ON (n.status);
// Archived nodes (cypher/lifecycle.cypher) by id, of any kind: restores, aliases of merged
// parties, and the check that a create does not take an archived id.
CREATE INDEX archived_id IF NOT EXISTS FOR (n:Archived) ON (n.id);
CREATE INDEX archived_party_id IF NOT EXISTS FOR (n:ArchivedParty) ON (n.id);
// The admins' list of archived nodes (lifecycle.archived), the latest archived first.
CREATE INDEX archived_at IF NOT EXISTS FOR (n:Archived) ON (n.archivedAt);
// The ids of parties merged into a party (mergeParties; cypher/lifecycle.cypher resolve): a
// list property, which only a full-text index finds by element; the keyword analyzer keeps
// each id whole.
CREATE FULLTEXT INDEX party_merged_ids IF NOT EXISTS FOR (n:Party) ON EACH [n.mergedIds]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}};
CREATE INDEX person_id IF NOT EXISTS FOR (n:Person) ON (n.id);
CREATE INDEX organization_id IF NOT EXISTS FOR (n:Organization) ON (n.id);
CREATE INDEX party_tier IF NOT EXISTS FOR (n:Party) ON (n.tier);
CREATE INDEX organization_industry IF NOT EXISTS FOR (n:Organization) ON (n.industry);
CREATE INDEX party_region IF NOT EXISTS FOR (n:Party) ON (n.region);
CREATE INDEX interaction_at IF NOT EXISTS FOR (n:Interaction) ON (n.at);
// Portfolio lists (cypher/portfolio.cypher): the orders walk these composite indexes from the
// cursor, (key, id) in the list's order with ties by id; a list of one tier (tier, key, id);
// a decision-layer gap list (flag, key, id), which holds only the flagged accounts (a flag is true or absent, and a
// composite index leaves out a node without one of its properties). They replace the
// single-property indexes of the score, the day and the flags (their prefixes seek the same;
// kept, the planner could pick one and sort every row after it).
CREATE INDEX party_name IF NOT EXISTS FOR (n:Party) ON (n.name);
DROP INDEX party_profile_score IF EXISTS;
DROP INDEX party_follow_up_day IF EXISTS;
DROP INDEX party_no_supporter IF EXISTS;
DROP INDEX party_uncovered IF EXISTS;
CREATE INDEX party_rad_cell IF NOT EXISTS FOR (n:Party) ON (n.radCell);
CREATE INDEX party_name_id IF NOT EXISTS FOR (n:Party) ON (n.name, n.id);
CREATE INDEX party_profile_score_id IF NOT EXISTS FOR (n:Party) ON (n.profileScore, n.id);
CREATE INDEX party_follow_up_day_id IF NOT EXISTS FOR (n:Party) ON (n.followUpDay, n.id);
CREATE INDEX party_no_supporter_name IF NOT EXISTS
  FOR (n:Party) ON (n.decisionLayerNoSupporter, n.name, n.id);
CREATE INDEX party_no_supporter_score IF NOT EXISTS
  FOR (n:Party) ON (n.decisionLayerNoSupporter, n.profileScore, n.id);
CREATE INDEX party_no_supporter_day IF NOT EXISTS
  FOR (n:Party) ON (n.decisionLayerNoSupporter, n.followUpDay, n.id);
CREATE INDEX party_uncovered_name IF NOT EXISTS
  FOR (n:Party) ON (n.decisionLayerUncovered, n.name, n.id);
CREATE INDEX party_uncovered_score IF NOT EXISTS
  FOR (n:Party) ON (n.decisionLayerUncovered, n.profileScore, n.id);
CREATE INDEX party_uncovered_day IF NOT EXISTS
  FOR (n:Party) ON (n.decisionLayerUncovered, n.followUpDay, n.id);
CREATE INDEX party_tier_name IF NOT EXISTS FOR (n:Party) ON (n.tier, n.name, n.id);
CREATE INDEX party_tier_score IF NOT EXISTS FOR (n:Party) ON (n.tier, n.profileScore, n.id);
CREATE INDEX party_tier_day IF NOT EXISTS FOR (n:Party) ON (n.tier, n.followUpDay, n.id);
// The day of a party's first interaction after its last refresh (only parties with one are
// in it): the parties whose follow-up day has come (portfolio.due).
CREATE INDEX party_next_interaction_day IF NOT EXISTS FOR (n:Party) ON (n.nextInteractionDay);
// Names, aliases and a person's job titles and departments (searchTitles, kept by the import
// and the writes of employment), for search. The standard analyzer cuts Chinese text into
// single characters, so 张 and 立 each find 张立 (the cjk analyzer's bigrams would not), and
// Latin words into lower-cased words, so the prefix query zha* finds "Zhang Li".
// party_names (names and aliases only) is the index before titles were searchable: replaced.
DROP INDEX party_names IF EXISTS;
CREATE FULLTEXT INDEX party_search IF NOT EXISTS FOR (n:Party) ON EACH [n.name, n.aliases, n.searchTitles]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}};
