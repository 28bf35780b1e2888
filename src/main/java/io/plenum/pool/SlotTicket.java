package io.plenum.pool;

/**
 * Names one allocation of a slot: its index and the owner token of the process that held it when
 * the ticket was taken ({@link SlotPool#ticket(int)}). A process hands a slot to another by handing
 * it the ticket; the receiver {@link SlotPool#adopt adopts} it, which makes the receiver the
 * slot's owner in one compare-and-set, or frees it with {@link SlotPool#free(SlotTicket)}. Both act
 * only while the slot still holds the allocation the ticket names, so a ticket that arrives late
 * (its giver died, the slot was recovered and allocated again) changes nothing.
 *
 * <p>Owner tokens are never handed out twice (a dead process's token stays dead, see
 * {@code OwnerTable}), so a ticket of a giver that died can never match a later allocation by
 * anyone. A giver that is alive must not free or reuse a slot it has handed over: for it, the
 * ticket still matches until the receiver adopts.
 *
 * <p>To pass a ticket through a pipe, a socket or shared memory: {@link #toLong()} and
 * {@link #fromLong(long)}.
 *
 * @param slot  the slot's index
 * @param owner the owner token (never 0)
 */
public record SlotTicket(int slot, int owner) {
    public SlotTicket {
        if (slot < 0) {
            throw new IllegalArgumentException("slot: " + slot + ", must be 0 or more");
        }
        if (owner == 0 || (owner & SlotAllocator.BUSY) != 0) {
            throw new IllegalArgumentException("owner: 0x" + Integer.toHexString(owner)
                    + " is not an owner token (0, or bit " + Integer.numberOfTrailingZeros(SlotAllocator.BUSY)
                    + " set)");
        }
    }

    /** The ticket as one number: the slot in the high 32 bits, the owner token in the low 32. */
    public long toLong() {
        return ((long) slot << 32) | Integer.toUnsignedLong(owner);
    }

    /** The ticket {@link #toLong()} encoded. */
    public static SlotTicket fromLong(long encoded) {
        return new SlotTicket((int) (encoded >>> 32), (int) encoded);
    }
}
