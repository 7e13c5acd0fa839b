/**
 * Who is who in a cluster: {@link dev.trama.identity.JoinToken}, what a new node needs to join (the cluster's
 * id, its servers' public key, and the secret that admits a node).
 */
package dev.trama.identity;
