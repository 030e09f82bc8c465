package io.aiojobs.sample.orders;

/**
 * The body of {@code POST /orders}.
 *
 * @param customer who orders
 * @param item what
 * @param quantity how many (at least 1)
 * @param unitPriceCents the price of one, in cents (at least 0)
 */
public record NewOrder(String customer, String item, int quantity, long unitPriceCents) {

    /** The order's total, in cents. */
    long amountCents() {
        return this.quantity * this.unitPriceCents;
    }

    /** Says what is wrong with this order, or returns {@code null} when nothing is. */
    String problem() {
        if (this.customer == null || this.customer.isBlank()) {
            return "customer is required";
        }
        if (this.item == null || this.item.isBlank()) {
            return "item is required";
        }
        if (this.quantity < 1) {
            return "quantity must be at least 1 but was " + this.quantity;
        }
        if (this.unitPriceCents < 0) {
            return "unitPriceCents must be >= 0 but was " + this.unitPriceCents;
        }
        return null;
    }
}
