import { z } from "zod";
import { idSchema } from "../kernel/index.ts";
import { orgProcedure, router } from "../trpc.ts";
import {
  conversationDraftInput,
  previewConversationMessage,
  sendConversationMessage,
  textProof,
  textProofInput,
} from "../workflows/conversation.ts";
import { changeJobStatusAndOrder } from "../workflows/order-fulfilment.ts";
import {
  acceptPlan,
  acceptPlanInput,
  proposePlan,
  proposePlanInput,
  replanOffers,
} from "../workflows/planning.ts";
import { planAcceptOutput, planOffersOutput, planProposalOutput } from "../workflows/planning-outputs.ts";
import { conversationTimeline, timelineInput as conversationTimelineInput } from "./conversation.ts";
import { createJob, createJobInput } from "./create-job.ts";
import {
  createCustomer,
  createCustomerInput,
  deleteCustomer,
  getCustomer,
  listCustomers,
  listCustomersInput,
  updateCustomer,
  updateCustomerInput,
} from "./customers.ts";
import { exportCustomersCsv, exportJobsCsv } from "./export.ts";
import { deleteJobFile, listJobFiles, shareJobFile, shareJobFileInput } from "./files.ts";
import { updateJobItem, updateJobItemInput } from "./item-edits.ts";
import { getJob, updateJob, updateJobInput } from "./job-detail.ts";
import { boardInput, jobBoard, jobFiltersSchema, listJobs, listJobsInput } from "./job-lists.ts";
import { addJobNote, addNoteInput, deleteJobNote } from "./notes.ts";
import {
  boardOutput,
  changeStatusOutput,
  conversationPreviewOutput,
  conversationSendOutput,
  conversationTextProofOutput,
  conversationTimelineOutput,
  customersCreateOutput,
  customersDeleteOutput,
  customersExportCsvOutput,
  customersGetOutput,
  customersListOutput,
  customersUpdateOutput,
  exportCsvOutput,
  filesDeleteOutput,
  filesListOutput,
  filesShareOutput,
  jobDetailOutput,
  jobListOutput,
  lineItemsOutput,
  notesAddOutput,
  notesDeleteOutput,
  scheduleCheckOutput,
  scheduleClearOutput,
  scheduleSetOutput,
  scheduleTimelineOutput,
  suggestionsForJobOutput,
  suggestionsRespondOutput,
  suggestionsStockOutput,
  templateOutput,
  templatesDeleteOutput,
  templatesListOutput,
} from "./outputs.ts";
import { workspaceOverview, workspaceOverviewOutput } from "./overview.ts";
import {
  previewSchedule,
  scheduleJob,
  scheduleSlotInput,
  scheduleTimeline,
  timelineInput,
  unscheduleJob,
} from "./schedule.ts";
import { changeJobStatusInput } from "./status.ts";
import {
  jobSuggestions,
  respondSuggestionInput,
  respondToSuggestion,
  stockForecasts,
} from "./suggestions.ts";
import {
  createTemplate,
  createTemplateInput,
  deleteTemplate,
  listTemplates,
  updateTemplate,
  updateTemplateInput,
} from "./templates.ts";

const member = orgProcedure("member");
const admin = orgProcedure("admin");
const byId = z.object({ id: idSchema });
const actorOf = (ctx: { org: { id: string }; session: { userId: string } }) => ({
  organizationId: ctx.org.id,
  userId: ctx.session.userId,
});

/** The job board: jobs, customers, notes, files, schedule. Every member works jobs. */
export const jobRouter = router({
  list: member
    .input(listJobsInput)
    .output(jobListOutput)
    .query(({ ctx, input }) => listJobs(ctx.db, ctx.org.id, input, ctx.clock.now())),
  overview: member
    .output(workspaceOverviewOutput)
    .query(({ ctx }) => workspaceOverview(ctx.db, ctx.org.id, ctx.clock.now())),
  board: member
    .input(boardInput)
    .output(boardOutput)
    .query(({ ctx, input }) => jobBoard(ctx.db, ctx.org.id, input, ctx.clock.now())),
  get: member
    .input(byId)
    .output(jobDetailOutput)
    .query(({ ctx, input }) => getJob(ctx.db, ctx.org.id, input.id, ctx.clock.now())),
  create: member
    .input(createJobInput)
    .output(jobDetailOutput)
    .mutation(({ ctx, input }) => createJob(ctx.db, ctx.services.mail, actorOf(ctx), input, ctx.clock.now())),
  update: member
    .input(updateJobInput)
    .output(jobDetailOutput)
    .mutation(({ ctx, input }) => updateJob(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  changeStatus: member
    .input(changeJobStatusInput)
    .output(changeStatusOutput)
    // A marketplace order follows its job at once; its customer is told (issue 5, req. 8).
    .mutation(({ ctx, input }) =>
      changeJobStatusAndOrder(ctx.db, ctx.services, actorOf(ctx), input, ctx.clock.now()),
    ),
  exportCsv: member
    .input(jobFiltersSchema)
    .output(exportCsvOutput)
    .query(({ ctx, input }) => exportJobsCsv(ctx.db, ctx.org.id, input, ctx.clock.now())),
  customers: router({
    list: member
      .input(listCustomersInput)
      .output(customersListOutput)
      .query(({ ctx, input }) => listCustomers(ctx.db, ctx.org.id, input)),
    get: member
      .input(byId)
      .output(customersGetOutput)
      .query(({ ctx, input }) => getCustomer(ctx.db, ctx.org.id, input.id)),
    create: member
      .input(createCustomerInput)
      .output(customersCreateOutput)
      .mutation(({ ctx, input }) => createCustomer(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    update: member
      .input(updateCustomerInput)
      .output(customersUpdateOutput)
      .mutation(({ ctx, input }) => updateCustomer(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    delete: member
      .input(byId)
      .output(customersDeleteOutput)
      .mutation(({ ctx, input }) => deleteCustomer(ctx.db, actorOf(ctx), input.id)),
    exportCsv: member
      .input(z.object({ search: z.string().trim().max(200).optional() }))
      .output(customersExportCsvOutput)
      .query(({ ctx, input }) => exportCustomersCsv(ctx.db, ctx.org.id, input, ctx.clock.now())),
  }),
  items: router({
    /** Edits one line item (quantity, material, color, price, model file) with an audit row. */
    update: member
      .input(updateJobItemInput)
      .output(lineItemsOutput)
      .mutation(({ ctx, input }) => updateJobItem(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
  /** The conversation of a job or customer (issue 13): timeline, preview and replies on a channel. */
  conversation: router({
    timeline: member
      .input(conversationTimelineInput)
      .output(conversationTimelineOutput)
      .query(({ ctx, input }) => conversationTimeline(ctx.db, ctx.org.id, input)),
    preview: member
      .input(conversationDraftInput)
      .output(conversationPreviewOutput)
      .query(({ ctx, input }) =>
        previewConversationMessage(ctx.db, ctx.org.id, input, ctx.baseUrl, ctx.clock.now()),
      ),
    send: member
      .input(conversationDraftInput)
      .output(conversationSendOutput)
      .mutation(({ ctx, input }) =>
        sendConversationMessage(ctx.db, ctx.services, actorOf(ctx), input, ctx.baseUrl, ctx.clock.now()),
      ),
    /** Texts the pending proof's link with "Reply YES to approve proof N". */
    textProof: member
      .input(textProofInput)
      .output(conversationTextProofOutput)
      .mutation(({ ctx, input }) =>
        textProof(ctx.db, ctx.services, actorOf(ctx), input, ctx.baseUrl, ctx.clock.now()),
      ),
  }),
  /** The shop's message templates; every member may use them, admins keep them. */
  templates: router({
    list: member.output(templatesListOutput).query(({ ctx }) => listTemplates(ctx.db, ctx.org.id)),
    create: admin
      .input(createTemplateInput)
      .output(templateOutput)
      .mutation(({ ctx, input }) => createTemplate(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    update: admin
      .input(updateTemplateInput)
      .output(templateOutput)
      .mutation(({ ctx, input }) => updateTemplate(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    delete: admin
      .input(byId)
      .output(templatesDeleteOutput)
      .mutation(({ ctx, input }) => deleteTemplate(ctx.db, actorOf(ctx), input.id)),
  }),
  notes: router({
    add: member
      .input(addNoteInput)
      .output(notesAddOutput)
      .mutation(({ ctx, input }) => addJobNote(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    delete: member
      .input(byId)
      .output(notesDeleteOutput)
      .mutation(({ ctx, input }) => deleteJobNote(ctx.db, { ...actorOf(ctx), role: ctx.org.role }, input.id)),
  }),
  files: router({
    list: member
      .input(z.object({ jobId: idSchema }))
      .output(filesListOutput)
      .query(({ ctx, input }) => listJobFiles(ctx.db, ctx.org.id, input.jobId)),
    delete: member
      .input(byId)
      .output(filesDeleteOutput)
      .mutation(({ ctx, input }) => deleteJobFile(ctx.db, ctx.services.storage, actorOf(ctx), input.id)),
    share: member
      .input(shareJobFileInput)
      .output(filesShareOutput)
      .mutation(({ ctx, input }) => shareJobFile(ctx.db, actorOf(ctx), input)),
  }),
  schedule: router({
    timeline: member
      .input(timelineInput)
      .output(scheduleTimelineOutput)
      .query(({ ctx, input }) => scheduleTimeline(ctx.db, ctx.org.id, input)),
    check: member
      .input(scheduleSlotInput)
      .output(scheduleCheckOutput)
      .query(({ ctx, input }) => previewSchedule(ctx.db, ctx.org.id, input)),
    set: member
      .input(scheduleSlotInput)
      .output(scheduleSetOutput)
      .mutation(({ ctx, input }) =>
        scheduleJob(ctx.db, ctx.services.mail, actorOf(ctx), input, ctx.clock.now()),
      ),
    clear: member
      .input(z.object({ jobId: idSchema }))
      .output(scheduleClearOutput)
      .mutation(({ ctx, input }) => unscheduleJob(ctx.db, actorOf(ctx), input.jobId, ctx.clock.now())),
  }),
  /** Smart suggestions from the shop's own records (no AI), and what the user did with each. */
  suggestions: router({
    forJob: member
      .input(z.object({ jobId: idSchema }))
      .output(suggestionsForJobOutput)
      .query(({ ctx, input }) => jobSuggestions(ctx.db, ctx.org.id, input.jobId)),
    stock: member
      .output(suggestionsStockOutput)
      .query(({ ctx }) => stockForecasts(ctx.db, ctx.org.id, ctx.clock.now())),
    respond: member
      .input(respondSuggestionInput)
      .output(suggestionsRespondOutput)
      .mutation(({ ctx, input }) => respondToSuggestion(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
  /** Capacity planning: a proposed plan (nothing changes), then the assignments the user accepts. */
  plan: router({
    propose: member
      .input(proposePlanInput)
      .output(planProposalOutput)
      .mutation(({ ctx, input }) => proposePlan(ctx.db, ctx.org.id, input, ctx.clock.now())),
    accept: member
      .input(acceptPlanInput)
      .output(planAcceptOutput)
      .mutation(({ ctx, input }) =>
        acceptPlan(ctx.db, ctx.services.mail, actorOf(ctx), input, ctx.clock.now()),
      ),
    /** When re-planning may help (a printer down, a job running late, a rush job); nothing is stored. */
    offers: member
      .output(planOffersOutput)
      .query(({ ctx }) => replanOffers(ctx.db, ctx.org.id, ctx.clock.now())),
  }),
});
