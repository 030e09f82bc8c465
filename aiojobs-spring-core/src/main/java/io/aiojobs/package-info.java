/**
 * aiojobs for Java: a {@link io.aiojobs.JobScheduler} of background {@link io.aiojobs.Job}s with
 * a limit, a bounded pending queue, jobs you can await or close, errors that are never lost,
 * shielded work and a graceful shutdown. The public types are {@code JobScheduler} (and its
 * {@code Builder} and {@code ExceptionHandler}), {@code Job}, {@code JobListener},
 * {@code ExceptionContext} and {@code QueueFullException}; everything else is package-private.
 *
 * <h2>A map of the package, by question</h2>
 * <dl>
 * <dt>Why did {@code spawn} block? Where is the limit enforced?</dt>
 * <dd>{@code Admission.admit}: it gives a job a slot ({@code ActiveSet}) or a place in the queue
 * ({@code PendingQueue}), and waits on {@code notFull} when the queue is full. {@code Admission}
 * holds the core's only lock; its class comment says what that lock guards.</dd>
 * <dt>How can a spawn queue a job without that lock?</dt>
 * <dd>{@code PendingQueue}'s inbox, and the two handshakes that make it safe, in the class
 * comments of {@code PendingQueue} and {@code Admission}.</dd>
 * <dt>What state is a job in, and who may change it?</dt>
 * <dd>{@code JobState}: one state word, its stages and flags, and every transition, in the
 * diagram above the field.</dd>
 * <dt>Which thread runs a job, and what runs next on it?</dt>
 * <dd>{@code Threads} chooses the executors; {@code Dispatcher} hands jobs to them;
 * {@code Worker} runs a job, then the pending job that its freed slot passed to.</dd>
 * <dt>What happens when a job ends? Who hears first?</dt>
 * <dd>{@code Ending}: it leaves the scheduler, then listeners hear of it, then its outcome
 * shows, then an unobserved failure is reported.</dd>
 * <dt>What counts as a failure, and when is it reported?</dt>
 * <dd>{@code Outcomes} (the rules, shared by jobs and shields) and the {@code REPORTED} and
 * {@code OBSERVED} flags of {@code JobState}; {@code Reports} calls the handler.</dd>
 * <dt>What happens at close? What does {@code waitAndClose} wait for?</dt>
 * <dd>{@code Closing} is the close sequence; {@code Admission.awaitIdle} is the wait, on the
 * active and pending jobs, the shields and the ends still being told.</dd>
 * <dt>Is the caller this job (or its report, or a shield)?</dt>
 * <dd>{@code Worker.current()}, a thread local, asked by await, close and waitAndClose so that
 * none of them waits for itself.</dd>
 * <dt>How is shielded work kept from the caller's cancellation?</dt>
 * <dd>{@code Shield}.</dd>
 * <dt>Why is there a {@code io.aiojobs.CoarseClock} thread?</dt>
 * <dd>{@code CoarseClock}: a cheap spawn time for {@code Job.age()}, with the figure that keeps
 * it in {@code benchmarks/README.md}.</dd>
 * </dl>
 */
package io.aiojobs;
