/** The health of the overlay's data path from this node to the others, measured through the overlay itself. */
package dev.trama.daemon.health;
