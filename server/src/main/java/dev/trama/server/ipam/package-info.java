/**
 * Address management: {@link dev.trama.server.ipam.Ipam} picks candidate addresses from a watched bitmap
 * and lets the caller claim each in one etcd transaction together with what holds it.
 */
package dev.trama.server.ipam;
