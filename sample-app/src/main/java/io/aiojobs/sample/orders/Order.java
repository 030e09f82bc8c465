package io.aiojobs.sample.orders;

import java.time.Instant;

/**
 * An order as stored in the {@code orders} table.
 *
 * @param id the database id
 * @param customer who placed the order
 * @param item what was ordered
 * @param quantity how many
 * @param amountCents the total, in cents
 * @param status {@code NEW}, {@code PAID} or {@code CANCELLED}
 * @param createdAt when the order was placed
 */
public record Order(long id, String customer, String item, int quantity, long amountCents, String status,
        Instant createdAt) {
}
