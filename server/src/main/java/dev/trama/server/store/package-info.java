/**
 * Where cluster state lives. {@link dev.trama.server.store.KeyValueStore} is the small part of etcd the
 * server uses (gets, conditional transactions, prefix watches); {@link dev.trama.server.store.EtcdStore}
 * is the only implementation shipped. Unit tests run on an in-memory store of their own, and both pass
 * the same contract test. Multi-key changes are always one {@link dev.trama.server.store.Txn}, so the
 * store never holds half of one.
 */
package dev.trama.server.store;
